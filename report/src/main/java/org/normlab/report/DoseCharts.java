package org.normlab.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * Draws the dose–response figure ({@link ChartData#doseResponse}): a row of panels per context
 * (one per family), mean final val accuracy against strength with a ±1 std band per norm, every
 * panel on the figure's one y range so that their heights compare.
 */
final class DoseCharts {

    static final String FILE = "dose_response";
    private static final int PANEL_WIDTH = 520;   // a single column gets 960, room for the figure's title
    private static final int PANEL_HEIGHT = 420;

    private DoseCharts() {}

    /** Writes the figure (several files when it has more than {@link Charts#PANELS_PER_FILE} panels); none without the key. */
    static List<Charts.Figure> write(Report report, Map<String, Color> colors, Path dir) throws IOException {
        if (report.dose() == null || report.dose().rows().isEmpty()) {
            return List.of();
        }
        ChartData.DoseFigure figure = ChartData.doseResponse(report.dose());
        List<JFreeChart> panels = panels(figure, colors, report.data().sweptKeys());
        int perFile = Math.max(1, Charts.PANELS_PER_FILE / figure.columns()) * figure.columns();
        int pages = (panels.size() + perFile - 1) / perFile;
        String title = "Dose–response: final validation accuracy vs attack strength (mean ± 1 sample std over seeds)";
        List<Charts.Figure> figures = new ArrayList<>();
        for (int p = 0; p < pages; p++) {
            String file = pages == 1 ? FILE + ".png" : FILE + "_" + (p + 1) + ".png";
            String pageTitle = pages == 1 ? title : title + " (" + (p + 1) + "/" + pages + ")";
            PanelGrid.write(panels.subList(p * perFile, Math.min(panels.size(), (p + 1) * perFile)), pageTitle,
                    Math.max(PANEL_WIDTH, 960 / figure.columns()), PANEL_HEIGHT, dir.resolve(file), figure.columns());
            figures.add(new Charts.Figure(file, pageTitle, "One panel per family of report.dose_response (columns) "
                    + "and combination of the other swept settings (rows). x: the family's strength setting, 0 = the "
                    + "baseline (" + report.dose().spec().baseline().name() + "); y: final validation accuracy, the "
                    + "mean over the completed trials (seeds), the band ±1 sample std (n−1); one line per norm "
                    + "(a norm without trials in a family has no line there). Every panel has the same y axis."));
        }
        return figures;
    }

    /** One chart per panel of {@code figure}; each y axis gets the figure's range. */
    static List<JFreeChart> panels(ChartData.DoseFigure figure, Map<String, Color> colors, List<String> keyOrder) {
        List<JFreeChart> charts = new ArrayList<>();
        for (ChartData.DosePanel panel : figure.panels()) {
            YIntervalSeriesCollection data = new YIntervalSeriesCollection();
            DeviationRenderer r = new DeviationRenderer(true, true);
            r.setAlpha(0.18f);
            int i = 0;
            for (Map.Entry<String, List<ChartData.Point>> line : panel.byNorm().entrySet()) {
                data.addSeries(ChartStyle.series(line.getKey(), line.getValue()));
                Color c = colors.getOrDefault(line.getKey(), Color.DARK_GRAY);
                r.setSeriesPaint(i, c);
                r.setSeriesFillPaint(i, c);
                r.setSeriesStroke(i, new BasicStroke(2f));
                r.setSeriesShape(i, new Ellipse2D.Double(-3.5, -3.5, 7, 7));
                i++;
            }
            NumberAxis x = new NumberAxis(panel.strengthKey());
            x.setAutoRangeIncludesZero(true);
            NumberAxis y = new NumberAxis("final val accuracy");
            y.setRange(figure.y().lower(), figure.y().upper());
            XYPlot plot = new XYPlot(data, x, y, r);
            ChartStyle.style(plot);
            String where = panel.context().isEmpty() ? "" : " — " + panel.context().label(keyOrder);
            charts.add(ChartStyle.chart(panel.family() + where, plot));
        }
        return charts;
    }
}

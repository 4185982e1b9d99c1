package org.normlab.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Paint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.StatisticalLineAndShapeRenderer;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * Draws the report's plots ({@link ChartData}'s numbers, in {@link ChartStyle}) as PNG files: learning curves, final accuracy per norm, and final accuracy
 * against every numeric swept setting (batch size, attack strength, depth). Every point is a mean
 * over the completed trials of a group, with a band or bar of ±1 sample std. Charts with many
 * groups become small multiples, at most {@value #PANELS_PER_FILE} per file.
 */
final class Charts {

    /** One written PNG. */
    record Figure(String file, String title, String caption) {}

    static final int PANELS_PER_FILE = 12;
    private static final int CATEGORIES_PER_FILE = 16;
    private static final Color GRID = ChartStyle.GRID;
    private static final Color[] PALETTE = {
        new Color(31, 119, 180), new Color(214, 39, 40), new Color(44, 160, 44), new Color(255, 127, 14),
        new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194), new Color(127, 127, 127),
        new Color(188, 189, 34), new Color(23, 190, 207)
    };

    private final Report report;
    private final Path dir;
    final Map<String, Color> colors = new LinkedHashMap<>();
    private final List<Figure> figures = new ArrayList<>();

    private Charts(Report report, Path dir) {
        this.report = report;
        this.dir = dir;
        this.colors.putAll(colors(report));
    }

    /** One colour per norm label (variants of one norm apart), in row order, the same in every plot. */
    static Map<String, Color> colors(Report report) {
        Map<String, Color> colors = new LinkedHashMap<>();
        for (GroupRow r : report.rows()) {
            colors.computeIfAbsent(r.norm().label(), k -> PALETTE[colors.size() % PALETTE.length]);
        }
        return colors;
    }

    /** Writes every plot that the data supports into {@code dir}; returns them in report order. */
    static List<Figure> write(Report report, Path dir) throws IOException {
        Charts charts = new Charts(report, dir);
        charts.learningCurves();
        charts.accuracyByNorm();
        for (String key : report.data().sweptKeys()) {
            if (!report.normKeys().contains(key) && ChartData.numericValues(report.rows(), key).size() >= 2) {
                charts.accuracyVs(key);
            }
        }
        InstrumentCharts.write(charts, report);
        return charts.figures;
    }

    // ---- learning curves ----

    private void learningCurves() throws IOException {
        List<JFreeChart> panels = new ArrayList<>();
        for (Map.Entry<Settings, List<GroupRow>> e : report.byContext().entrySet()) {
            YIntervalSeriesCollection acc = new YIntervalSeriesCollection();
            YIntervalSeriesCollection loss = new YIntervalSeriesCollection();
            List<Color> seriesColors = new ArrayList<>();
            for (GroupRow row : e.getValue()) {
                List<TrialOutcome> trials = row.completedTrials().stream().filter(t -> !t.history().isEmpty()).toList();
                if (trials.isEmpty()) {
                    continue;
                }
                String name = row.norm().label() + " (n=" + trials.size() + ")";
                acc.addSeries(curve(name, trials, true));
                loss.addSeries(curve(name, trials, false));
                seriesColors.add(colors.get(row.norm().label()));
            }
            if (acc.getSeriesCount() == 0) {
                continue;
            }
            NumberAxis epoch = new NumberAxis("epoch");
            epoch.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
            epoch.setAutoRangeIncludesZero(false);
            CombinedDomainXYPlot plot = new CombinedDomainXYPlot(epoch);
            plot.setGap(12);
            XYPlot accPlot = ChartStyle.xyPlot(acc, "val accuracy", seriesColors);
            plot.add(accPlot, 1);
            plot.add(ChartStyle.xyPlot(loss, "train loss", seriesColors), 1);
            LegendItemCollection legend = accPlot.getLegendItems();
            plot.setFixedLegendItems(legend);
            panels.add(ChartStyle.chart(title(e.getKey()), plot));
        }
        writePanels(panels, "learning_curves", "Learning curves: mean over seeds, band = ±1 sample std", 560, 540,
                "Validation accuracy and training loss per epoch; one line per norm, the mean over the completed "
                        + "trials (seeds) of the group, the shaded band ±1 sample std (n−1).");
    }

    private static YIntervalSeries curve(String name, List<TrialOutcome> trials, boolean accuracy) {
        return ChartStyle.series(name, ChartData.curve(trials, accuracy));
    }

    // ---- final accuracy per norm ----

    private void accuracyByNorm() throws IOException {
        List<Map.Entry<Settings, List<GroupRow>>> contexts = new ArrayList<>(report.byContext().entrySet());
        contexts.removeIf(e -> e.getValue().stream().allMatch(r -> r.completed() == 0));
        if (contexts.isEmpty()) {
            return;
        }
        int pages = (contexts.size() + CATEGORIES_PER_FILE - 1) / CATEGORIES_PER_FILE;
        for (int p = 0; p < pages; p++) {
            List<Map.Entry<Settings, List<GroupRow>>> page =
                    contexts.subList(p * CATEGORIES_PER_FILE, Math.min(contexts.size(), (p + 1) * CATEGORIES_PER_FILE));
            DefaultStatisticalCategoryDataset data = new DefaultStatisticalCategoryDataset();
            List<String> series = new ArrayList<>();
            for (Map.Entry<Settings, List<GroupRow>> e : page) {
                for (GroupRow row : e.getValue()) {
                    Summary s = row.summary(Metric.FINAL_VAL_ACC);
                    if (s.n() > 0) {
                        data.add(s.mean(), s.hasStd() ? s.std() : 0, row.norm().label(), categoryLabel(e.getKey()));
                        if (!series.contains(row.norm().label())) {
                            series.add(row.norm().label());
                        }
                    }
                }
            }
            StatisticalLineAndShapeRenderer r = new StatisticalLineAndShapeRenderer(false, true);
            r.setUseSeriesOffset(true);
            r.setItemMargin(0.3);
            r.setErrorIndicatorStroke(new BasicStroke(1.5f));
            for (int i = 0; i < data.getRowCount(); i++) {
                Color c = colors.get((String) data.getRowKey(i));
                r.setSeriesPaint(i, c);
                r.setSeriesShapesFilled(i, true);
            }
            r.setErrorIndicatorPaint(null); // null: each bar in its series' colour
            CategoryAxis x = new CategoryAxis(normSwept() ? "other settings" : "swept settings");
            x.setMaximumCategoryLabelLines(4);
            if (page.size() > 6) {
                x.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
            }
            NumberAxis y = new NumberAxis("final val accuracy");
            y.setAutoRangeIncludesZero(false);
            CategoryPlot plot = new CategoryPlot(data, x, y, r);
            plot.setBackgroundPaint(Color.WHITE);
            plot.setRangeGridlinePaint(GRID);
            plot.setRangeGridlinesVisible(true);
            String title = "Final validation accuracy per norm (mean ± 1 sample std over seeds)";
            String file = pages == 1 ? "accuracy_by_norm.png" : "accuracy_by_norm_" + (p + 1) + ".png";
            int width = Math.max(900, 150 * page.size() + 200);
            JFreeChart chart = ChartStyle.chart(title, plot);
            ChartUtils.saveChartAsPNG(dir.resolve(file).toFile(), chart, width, 560);
            figures.add(new Figure(file, title + (pages == 1 ? "" : " (" + (p + 1) + "/" + pages + ")"),
                    "Each point is the mean final validation accuracy of the completed trials (seeds) of one norm "
                            + "in one combination of the other swept settings; the bars are ±1 sample std (n−1), "
                            + "no bar when n = 1. Diverged and failed trials are not included."));
        }
    }

    private boolean normSwept() {
        return report.normSwept();
    }

    // ---- final accuracy against a numeric setting ----

    private void accuracyVs(String key) throws IOException {
        List<String> without = new ArrayList<>(report.normKeys());
        without.add(key);
        Map<Settings, List<GroupRow>> panelsByRest = new LinkedHashMap<>();
        for (GroupRow r : report.rows()) {
            panelsByRest.computeIfAbsent(r.settings().without(without), k -> new ArrayList<>()).add(r);
        }
        List<Double> xs = ChartData.numericValues(report.rows(), key);
        boolean log2 = key.endsWith("batch_size") && xs.get(0) > 0 && xs.get(xs.size() - 1) / xs.get(0) >= 4;
        // The panels are the same measurement in other settings: one y range lets their heights compare.
        List<ChartData.Point> all = new ArrayList<>();
        panelsByRest.values().forEach(rows -> ChartData.accuracyVs(rows, key).values().forEach(all::addAll));
        ChartData.Range range = ChartData.Range.covering(all);
        List<JFreeChart> panels = new ArrayList<>();
        for (Map.Entry<Settings, List<GroupRow>> e : panelsByRest.entrySet()) {
            Map<String, YIntervalSeries> byNorm = new LinkedHashMap<>();
            ChartData.accuracyVs(e.getValue(), key).forEach((norm, points) -> byNorm.put(norm, ChartStyle.series(norm, points)));
            if (byNorm.isEmpty()) {
                continue;
            }
            YIntervalSeriesCollection data = new YIntervalSeriesCollection();
            XYErrorRenderer r = new XYErrorRenderer();
            r.setDrawXError(false);
            r.setDefaultLinesVisible(true);
            r.setCapLength(6);
            r.setErrorStroke(new BasicStroke(1.5f));
            int i = 0;
            for (YIntervalSeries s : byNorm.values()) {
                data.addSeries(s);
                Paint c = colors.get((String) s.getKey());
                r.setSeriesPaint(i, c);
                r.setSeriesStroke(i, new BasicStroke(2f));
                r.setSeriesShapesVisible(i, true);
                i++;
            }
            ValueAxis x = log2 ? ChartStyle.log2Axis(key) : new NumberAxis(key);
            if (x instanceof NumberAxis n) {
                n.setAutoRangeIncludesZero(false);
            }
            NumberAxis y = new NumberAxis("final val accuracy");
            y.setRange(range.lower(), range.upper());
            XYPlot plot = new XYPlot(data, x, y, r);
            ChartStyle.style(plot);
            panels.add(ChartStyle.chart(title(e.getKey()), plot));
        }
        String file = "accuracy_vs_" + key.replaceAll("[^A-Za-z0-9]+", "_");
        writePanels(panels, file, "Final validation accuracy vs " + key + " (mean ± 1 sample std over seeds)", 560, 430,
                "One line per norm; each point the mean final validation accuracy of the completed trials (seeds) "
                        + "at that " + key + ", the bars ±1 sample std (n−1)."
                        + (panels.size() > 1 ? " One panel per combination of the other swept settings, all on one y axis." : ""));
    }

    void writePanels(List<JFreeChart> panels, String baseName, String title, int w, int h, String caption)
            throws IOException {
        int pages = (panels.size() + PANELS_PER_FILE - 1) / PANELS_PER_FILE;
        for (int p = 0; p < pages; p++) {
            String file = pages == 1 ? baseName + ".png" : baseName + "_" + (p + 1) + ".png";
            String pageTitle = pages == 1 ? title : title + " (" + (p + 1) + "/" + pages + ")";
            PanelGrid.write(panels.subList(p * PANELS_PER_FILE, Math.min(panels.size(), (p + 1) * PANELS_PER_FILE)),
                    pageTitle, w, h, dir.resolve(file));
            figures.add(new Figure(file, pageTitle, caption));
        }
    }

    /** A panel's title: the settings it shows; none when it shows all trials. */
    String title(Settings context) {
        return context.isEmpty() ? null : context.label(report.data().sweptKeys());
    }

    private String categoryLabel(Settings context) {
        return context.isEmpty() ? "all trials" : title(context);
    }
}

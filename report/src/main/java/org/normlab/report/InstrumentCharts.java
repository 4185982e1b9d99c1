package org.normlab.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * The plots of issue 17's instruments: error against batch size per norm with the eval.stats
 * variants (the GroupNorm paper's Figure 1), and, from layers.csv, the batch noise per layer
 * (mean_dev, std_logratio against the layer index over the last epoch and over training),
 * IEBN's gate per layer, and batch_noise (log.layers.batch_noise) per layer and over training. One panel per group of trials (per norm, attack and other settings).
 */
final class InstrumentCharts {

    static final String BATCH_KEY = "data.batch_size";
    private static final float[] DASH = {6f, 4f};
    private static final float[] DOT = {2f, 3f};

    private final Charts charts;
    private final Report report;

    private InstrumentCharts(Charts charts, Report report) {
        this.charts = charts;
        this.report = report;
    }

    static void write(Charts charts, Report report) throws IOException {
        InstrumentCharts c = new InstrumentCharts(charts, report);
        if (report.data().sweptKeys().contains(BATCH_KEY) && ChartData.numericValues(report.rows(), BATCH_KEY).size() >= 2) {
            c.errorVsBatchSize();
        }
        c.layers();
    }

    // ---- error vs batch size ----

    /** 1 - accuracy of {@code m} against the batch size, one series per norm label. */
    static Map<String, List<ChartData.Point>> errorVs(List<GroupRow> rows, String key, Metric m) {
        Map<String, List<ChartData.Point>> byNorm = new LinkedHashMap<>();
        for (GroupRow r : rows) {
            Summary s = r.summary(m);
            if (s.n() == 0 || r.settings().get(key) == null || !r.settings().get(key).isNumber()) {
                continue;
            }
            double sd = s.hasStd() ? s.std() : 0;
            byNorm.computeIfAbsent(r.norm().label(), k -> new ArrayList<>()).add(new ChartData.Point(
                    r.settings().get(key).doubleValue(), 1 - s.mean(), 1 - s.mean() - sd, 1 - s.mean() + sd));
        }
        byNorm.values().forEach(points -> points.sort((a, b) -> Double.compare(a.x(), b.x())));
        return byNorm;
    }

    private void errorVsBatchSize() throws IOException {
        List<String> without = new ArrayList<>(Report.NORM_KEYS);
        without.add(BATCH_KEY);
        Map<Settings, List<GroupRow>> panelsByRest = new LinkedHashMap<>();
        for (GroupRow r : report.rows()) {
            panelsByRest.computeIfAbsent(r.settings().without(without), k -> new ArrayList<>()).add(r);
        }
        List<JFreeChart> panels = new ArrayList<>();
        for (Map.Entry<Settings, List<GroupRow>> e : panelsByRest.entrySet()) {
            YIntervalSeriesCollection data = new YIntervalSeriesCollection();
            DeviationRenderer r = new DeviationRenderer(true, true);
            r.setAlpha(0.15f);
            Map<String, Metric> variants = new LinkedHashMap<>();
            variants.put("", Metric.FINAL_VAL_ACC);
            variants.put(" [precise]", Metric.FINAL_VAL_ACC_PRECISE);
            variants.put(" [batch]", Metric.FINAL_VAL_ACC_BATCH);
            int i = 0;
            for (Map.Entry<String, Metric> v : variants.entrySet()) {
                for (Map.Entry<String, List<ChartData.Point>> s : errorVs(e.getValue(), BATCH_KEY, v.getValue()).entrySet()) {
                    data.addSeries(ChartStyle.series(s.getKey() + v.getKey(), s.getValue()));
                    Color c = charts.colors.getOrDefault(s.getKey(), Color.DARK_GRAY);
                    r.setSeriesPaint(i, c);
                    r.setSeriesFillPaint(i, c);
                    float[] dash = v.getKey().isEmpty() ? null : v.getKey().contains("precise") ? DASH : DOT;
                    r.setSeriesStroke(i, new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 1f, dash, 0f));
                    i++;
                }
            }
            if (data.getSeriesCount() == 0) {
                continue;
            }
            ValueAxis x = ChartStyle.log2Axis(BATCH_KEY);
            NumberAxis y = new NumberAxis("final val error (1 − accuracy)");
            y.setAutoRangeIncludesZero(false);
            XYPlot plot = new XYPlot(data, x, y, r);
            ChartStyle.style(plot);
            panels.add(ChartStyle.chart(charts.title(e.getKey()), plot));
        }
        charts.writePanels(panels, "error_vs_batch_size", "Validation error vs batch size (mean ± 1 sample std over seeds)",
                640, 480, "Final validation error (1 − accuracy) against data.batch_size on a log scale, one colour per "
                        + "norm: solid the running (ema) statistics, dashed precise population statistics, dotted batch "
                        + "statistics at eval.batch_size (eval.stats); the band ±1 sample std (n−1) over seeds.");
    }

    // ---- layers.csv ----

    private record Quantity(String label, ToDoubleFunction<LayerData.Row> value) {}

    private static final List<Quantity> NOISE = List.of(
            new Quantity("mean_dev", LayerData.Row::meanDev), new Quantity("std_logratio", LayerData.Row::stdLogRatio));
    private static final List<Quantity> GATE = List.of(
            new Quantity("gate_mean", LayerData.Row::gateMean), new Quantity("gate_min", LayerData.Row::gateMin),
            new Quantity("gate_max", LayerData.Row::gateMax));
    private static final List<Quantity> BATCH_NOISE_BY_LAYER = List.of(new Quantity("batch_noise", LayerData.Row::batchNoise));
    private static final List<Quantity> BATCH_NOISE_OVER_TRAINING = List.of(
            new Quantity("batch_noise, mean over norm layers", LayerData.Row::layerBatchNoise),
            new Quantity("batch_noise at the logits", LayerData.Row::logitsBatchNoise));

    private void layers() throws IOException {
        List<JFreeChart> byLayer = new ArrayList<>();
        List<JFreeChart> overTraining = new ArrayList<>();
        List<JFreeChart> gates = new ArrayList<>();
        List<JFreeChart> noiseByLayer = new ArrayList<>();
        List<JFreeChart> noiseOverTraining = new ArrayList<>();
        for (GroupRow row : report.rows()) {
            List<List<LayerData.Row>> trials = LayerData.of(row.completedTrials());
            if (trials.isEmpty()) {
                continue;
            }
            String context = charts.title(row.settings());
            String title = (context == null ? "" : context + " ") + "(n=" + trials.size() + ")";
            byLayer.add(panel(title, "norm layer (index)", NOISE, q -> LayerData.byLayer(trials, q.value())));
            overTraining.add(panel(title, "step", NOISE, q -> LayerData.overTraining(trials, q.value())));
            if (LayerData.hasGate(trials)) {
                gates.add(panel(title, "norm layer (index)", GATE, q -> LayerData.byLayer(trials, q.value())));
            }
            if (LayerData.hasBatchNoise(trials)) {
                noiseByLayer.add(fromZeroWithMarkers(panel(title, "norm layer (index); the last point: logits",
                        BATCH_NOISE_BY_LAYER, q -> LayerData.byLayer(trials, q.value()))));
                noiseOverTraining.add(fromZeroWithMarkers(panel(title, "step", BATCH_NOISE_OVER_TRAINING,
                        q -> LayerData.overTraining(trials, q.value()))));
            }
        }
        String mean = " the mean over the completed trials (seeds) of each trial's own mean, the band ±1 sample std "
                + "over trials.";
        charts.writePanels(byLayer, "layers_noise_by_layer", "Batch noise per norm layer, last epoch (layers.csv)", 560, 420,
                "mean_dev = mean over channels of |μ_B − μ_run| / √(σ²_run + ε) and std_logratio = mean over channels "
                        + "of |log(σ_B / σ_run)| of the sampled training batches of the last epoch, per norm layer;" + mean);
        charts.writePanels(overTraining, "layers_noise_over_training", "Batch noise over training, mean over layers (layers.csv)",
                560, 420, "mean_dev and std_logratio at every sampled step (log.layers.every_steps), averaged over the "
                        + "norm layers;" + mean);
        charts.writePanels(gates, "layers_gate_by_layer", "IEBN's gate per norm layer, last epoch (layers.csv)", 560, 420,
                "The gate sigmoid(w·mean_hw(x) + b) over (N, C) of the sampled training batches of the last epoch: its "
                        + "mean, minimum and maximum per layer;" + mean);
        charts.writePanels(noiseByLayer, "layers_batch_noise_by_layer",
                "Batch noise itself per norm layer and at the logits, last epoch (layers.csv, log.layers.batch_noise)", 560, 420,
                "batch_noise = ‖y_AB − y_AC‖ / ‖y_AB‖ over the outputs of the first half A of a sampled training batch, "
                        + "with its own other half B and with other training images C (RESULTS-FORMAT.md): the share of a "
                        + "sample's output its batch companions decide, per norm layer, the last point at the logits; "
                        + "0 for a norm that looks at one sample at a time;" + mean);
        charts.writePanels(noiseOverTraining, "layers_batch_noise_over_training",
                "Batch noise itself over training (layers.csv, log.layers.batch_noise)", 560, 420,
                "batch_noise at every sampled step: averaged over the norm layers, and at the logits;" + mean);
    }

    /**
     * batch_noise's y axis from 0 (the value of a batch-independent norm), with a marker per
     * point: a norm without running statistics has the logits point only.
     */
    private static JFreeChart fromZeroWithMarkers(JFreeChart chart) {
        XYPlot plot = chart.getXYPlot();
        ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(true);
        ((DeviationRenderer) plot.getRenderer()).setDefaultShapesVisible(true);
        return chart;
    }

    private static JFreeChart panel(String title, String xLabel, List<Quantity> quantities,
            java.util.function.Function<Quantity, List<ChartData.Point>> points) {
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        List<Color> colors = new ArrayList<>();
        Color[] palette = {new Color(31, 119, 180), new Color(214, 39, 40), new Color(44, 160, 44)};
        for (int i = 0; i < quantities.size(); i++) {
            YIntervalSeries s = ChartStyle.series(quantities.get(i).label(), points.apply(quantities.get(i)));
            data.addSeries(s);
            colors.add(palette[i % palette.length]);
        }
        XYPlot plot = ChartStyle.xyPlot(data, "value", colors);
        NumberAxis x = new NumberAxis(xLabel);
        x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        plot.setDomainAxis(x);
        return ChartStyle.chart(title, plot);
    }
}

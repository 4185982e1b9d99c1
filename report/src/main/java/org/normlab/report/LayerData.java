package org.normlab.report;

import static org.normlab.report.ResultFiles.parse;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import org.normlab.results.UserError;
import org.normlab.results.FileNames;

/**
 * The numbers of the per-layer plots, from the trials' layers.csv (log.layers): each quantity
 * per layer over the last epoch, over training, and IEBN's gate per layer. Every point is a mean
 * over a group's trials (seeds) of each trial's own mean, with ±1 sample std over the trials.
 */
final class LayerData {

    /**
     * One row of layers.csv; NaN where a cell is empty. The row of layer {@code logits}
     * (log.layers.batch_noise) has {@code logits} set and, as its layer, the trial's last norm
     * layer + 1, so that it comes after them on a layer axis.
     */
    record Row(long step, int epoch, int layer, double meanDev, double stdLogRatio,
            double gateMean, double gateStd, double gateMin, double gateMax, double batchNoise, boolean logits) {

        Row(long step, int epoch, int layer, double meanDev, double stdLogRatio,
                double gateMean, double gateStd, double gateMin, double gateMax) {
            this(step, epoch, layer, meanDev, stdLogRatio, gateMean, gateStd, gateMin, gateMax, Double.NaN, false);
        }

        /** batch_noise of a norm layer's row; NaN for the logits row. */
        double layerBatchNoise() {
            return logits ? Double.NaN : batchNoise;
        }

        /** batch_noise of the logits row; NaN for a norm layer's. */
        double logitsBatchNoise() {
            return logits ? batchNoise : Double.NaN;
        }
    }

    /** The layers.csv value of {@code layer} on the row at the network's output. */
    static final String LOGITS = "logits";

    private LayerData() {}

    /** A trial's layers.csv beside its result.json; empty when it has none (log.layers off). */
    static List<Row> read(TrialOutcome trial) {
        Path file = trial.file() == null ? null : trial.file().resolveSibling(FileNames.LAYERS);
        if (file == null || !Files.isRegularFile(file)) {
            return List.of();
        }
        List<Row> rows = new ArrayList<>();
        int lastLayer = -1;
        try (MappingIterator<Map<String, String>> it = new CsvMapper().readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(file.toFile())) {
            while (it.hasNext()) {
                Map<String, String> r = it.next();
                double step = parse(r.get("step"));
                double epoch = parse(r.get("epoch"));
                boolean logits = LOGITS.equals(r.get("layer"));
                double layer = logits ? -1 : parse(r.get("layer"));
                if (Double.isNaN(step) || Double.isNaN(epoch) || Double.isNaN(layer)) {
                    continue;
                }
                lastLayer = Math.max(lastLayer, (int) layer);
                rows.add(new Row((long) step, (int) epoch, (int) layer, parse(r.get("mean_dev")),
                        parse(r.get("std_logratio")), parse(r.get("gate_mean")), parse(r.get("gate_std")),
                        parse(r.get("gate_min")), parse(r.get("gate_max")), parse(r.get("batch_noise")), logits));
            }
        } catch (IOException | RuntimeException e) {
            throw new UserError(file + ": not a readable layers.csv: " + e.getMessage(), e);
        }
        int logitsAt = lastLayer + 1;
        rows.replaceAll(r -> r.logits() ? new Row(r.step(), r.epoch(), logitsAt, r.meanDev(), r.stdLogRatio(), r.gateMean(),
                r.gateStd(), r.gateMin(), r.gateMax(), r.batchNoise(), true) : r);
        return rows;
    }

    /** The trials' rows, those without a layers.csv left out. */
    static List<List<Row>> of(List<TrialOutcome> trials) {
        List<List<Row>> all = new ArrayList<>();
        for (TrialOutcome t : trials) {
            List<Row> rows = read(t);
            if (!rows.isEmpty()) {
                all.add(rows);
            }
        }
        return all;
    }

    /** A quantity against the layer index, each trial's mean over its last epoch's sample points. */
    static List<ChartData.Point> byLayer(List<List<Row>> trials, ToDoubleFunction<Row> value) {
        List<Map<Integer, Double>> perTrial = new ArrayList<>();
        for (List<Row> rows : trials) {
            int last = rows.stream().mapToInt(Row::epoch).max().orElse(0);
            perTrial.add(meanBy(rows.stream().filter(r -> r.epoch() == last).toList(), r -> (long) r.layer(), value));
        }
        return acrossTrials(perTrial);
    }

    /** A quantity against the step, each trial's mean over its layers at each sample point. */
    static List<ChartData.Point> overTraining(List<List<Row>> trials, ToDoubleFunction<Row> value) {
        List<Map<Integer, Double>> perTrial = new ArrayList<>();
        for (List<Row> rows : trials) {
            Map<Integer, Double> byStep = new TreeMap<>();
            meanBy(rows, Row::step, value).forEach(byStep::put);
            perTrial.add(byStep);
        }
        return acrossTrials(perTrial);
    }

    /** Whether any row has gate values (IEBN and plugins that report a gate). */
    static boolean hasGate(List<List<Row>> trials) {
        return trials.stream().flatMap(List::stream).anyMatch(r -> !Double.isNaN(r.gateMean()));
    }

    /** Whether any row has batch_noise (log.layers.batch_noise). */
    static boolean hasBatchNoise(List<List<Row>> trials) {
        return trials.stream().flatMap(List::stream).anyMatch(r -> !Double.isNaN(r.batchNoise()));
    }

    /** Per key, the mean of the finite values; keys as ints (layer index or step). */
    private static Map<Integer, Double> meanBy(List<Row> rows, java.util.function.ToLongFunction<Row> key,
            ToDoubleFunction<Row> value) {
        Map<Integer, List<Double>> groups = new TreeMap<>();
        for (Row r : rows) {
            double v = value.applyAsDouble(r);
            if (!Double.isNaN(v)) {
                groups.computeIfAbsent((int) key.applyAsLong(r), k -> new ArrayList<>()).add(v);
            }
        }
        Map<Integer, Double> means = new TreeMap<>();
        groups.forEach((k, v) -> means.put(k, Summary.of(v).mean()));
        return means;
    }

    private static List<ChartData.Point> acrossTrials(List<Map<Integer, Double>> perTrial) {
        Map<Integer, List<Double>> byX = new TreeMap<>();
        perTrial.forEach(m -> m.forEach((x, v) -> byX.computeIfAbsent(x, k -> new ArrayList<>()).add(v)));
        List<ChartData.Point> points = new ArrayList<>();
        byX.forEach((x, values) -> points.add(ChartData.Point.of(x, Summary.of(values))));
        return points;
    }
}

package org.normlab.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the report's plots show, as plain numbers: per-epoch curves and final accuracy against a
 * numeric setting, each point a mean over the completed trials (seeds) of a group with ±1 sample
 * std. {@link Charts} only draws these.
 */
final class ChartData {

    /** One point: the mean at {@code x}, and mean ∓ 1 sample std (the mean itself when n = 1). */
    record Point(double x, double mean, double lower, double upper) {

        static Point of(double x, Summary s) {
            double sd = s.hasStd() ? s.std() : 0;
            return new Point(x, s.mean(), s.mean() - sd, s.mean() + sd);
        }
    }

    private ChartData() {}

    /** Validation accuracy (or training loss) per epoch over {@code trials}; NaN values left out. */
    static List<Point> curve(List<TrialOutcome> trials, boolean accuracy) {
        Map<Integer, List<Double>> byEpoch = new TreeMap<>();
        for (TrialOutcome t : trials) {
            for (Epoch ep : t.history()) {
                double v = accuracy ? ep.valAcc() : ep.trainLoss();
                if (!Double.isNaN(v)) {
                    byEpoch.computeIfAbsent(ep.epoch(), k -> new ArrayList<>()).add(v);
                }
            }
        }
        List<Point> points = new ArrayList<>();
        byEpoch.forEach((epoch, values) -> points.add(Point.of(epoch, Summary.of(values))));
        return points;
    }

    /** Final validation accuracy against the numeric setting {@code key}, one line per norm label. */
    static Map<String, List<Point>> accuracyVs(List<GroupRow> rows, String key) {
        Map<String, List<Point>> byNorm = new LinkedHashMap<>();
        for (GroupRow r : rows) {
            Summary s = r.summary(Metric.FINAL_VAL_ACC);
            if (s.n() == 0 || r.settings().get(key) == null || !r.settings().get(key).isNumber()) {
                continue;
            }
            byNorm.computeIfAbsent(r.norm().label(), k -> new ArrayList<>())
                    .add(Point.of(r.settings().get(key).doubleValue(), s));
        }
        return byNorm;
    }

    /** The distinct numeric values of {@code key} over the rows, sorted; empty if any is not a number. */
    static List<Double> numericValues(List<GroupRow> rows, String key) {
        TreeSet<Double> values = new TreeSet<>();
        for (GroupRow r : rows) {
            JsonNode v = r.settings().get(key);
            if (v == null || v.isNull()) {
                continue;
            }
            if (!v.isNumber()) {
                return List.of();
            }
            values.add(v.doubleValue());
        }
        return List.copyOf(values);
    }
}

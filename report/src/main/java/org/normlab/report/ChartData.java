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
 * numeric setting, the dose–response figure; each point a mean over the completed trials (seeds) of a group with ±1 sample
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

    /** A value axis' bounds; one object shared by every panel that is meant to be compared. */
    record Range(double lower, double upper) {

        /** From the lowest to the highest band edge of {@code points}, padded by 5% of the span (at least 0.005). */
        static Range covering(List<Point> points) {
            double lo = points.stream().mapToDouble(Point::lower).min().orElse(0);
            double hi = points.stream().mapToDouble(Point::upper).max().orElse(1);
            double pad = Math.max(0.05 * (hi - lo), 0.005);
            return new Range(lo - pad, hi + pad);
        }
    }

    /**
     * One panel of the dose–response figure: a family in one context (say a batch size), x = its
     * strength with the baseline at 0, one line per norm label.
     */
    record DosePanel(String family, Settings context, String strengthKey, Map<String, List<Point>> byNorm) {}

    /** The dose–response figure: a row of panels (one per family) per context, all on one y range. */
    record DoseFigure(List<DosePanel> panels, int columns, Range y) {}

    private ChartData() {}

    /**
     * The lead figure of a sweep with {@code report.dose_response}: per context and family a
     * panel; per norm the final val accuracy over seeds at the baseline (x = 0) and at each of the
     * family's strengths. A norm with no point of the family (a control norm excluded from an
     * attack, say) has no line in that panel. Every panel has the same y range.
     */
    static DoseFigure doseResponse(DoseTable table) {
        List<DosePanel> panels = new ArrayList<>();
        List<Point> all = new ArrayList<>();
        for (Settings context : table.contexts()) {
            DoseTable.Row baseline = table.baseline(context);
            for (DoseSpec.Family family : table.spec().families()) {
                List<DoseTable.Row> rows = table.rows(family.name(), context);
                Map<String, List<Point>> byNorm = new LinkedHashMap<>();
                for (String norm : table.norms()) {
                    List<Point> points = new ArrayList<>();
                    rows.stream().filter(r -> r.summary(norm).n() > 0)
                            .forEach(r -> points.add(Point.of(r.strength(), r.summary(norm))));
                    if (points.isEmpty()) {
                        continue;
                    }
                    if (baseline != null && baseline.summary(norm).n() > 0) {
                        points.add(0, Point.of(0, baseline.summary(norm)));
                    }
                    byNorm.put(norm, points);
                    all.addAll(points);
                }
                panels.add(new DosePanel(family.name(), context, family.strength(), byNorm));
            }
        }
        return new DoseFigure(panels, table.spec().families().size(), Range.covering(all));
    }

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

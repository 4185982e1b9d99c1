package org.normlab.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.normlab.results.UserError;

/**
 * Compares a report with a {@link Baseline}, metric by metric on the group means. A metric
 * fails when it got worse by more than its absolute tolerance (accuracies: lower is worse; loss:
 * higher is worse; params: any change beyond the tolerance, 0 by default); a group that
 * disappeared or whose number of completed trials shrank fails too. Throughput
 * ({@code train_img_s}) is only printed unless a tolerance is given for it. Default tolerances:
 * 0.02 on accuracies (per-component ones too), 0.05 on {@code final_val_loss}, 0 on
 * {@code params}.
 */
public final class BaselineCheck {

    /** How one line of the comparison came out. */
    public enum Verdict {
        /** Moved within its tolerance. */
        OK,
        BETTER,
        /** Got worse beyond its tolerance (or the group or metric is gone): the check fails. */
        WORSE,
        /** Not checked: printed only. */
        INFO
    }

    /** One row of the comparison table; NaN where a value does not apply. */
    public record Line(String group, String metric, double baseline, double now, double delta, String allowed,
            Verdict verdict, String note) {}

    /** Float rounding must not turn a change of exactly the tolerance into a failure. */
    private static final double SLACK = 1e-12;

    private final List<Line> lines;

    private BaselineCheck(List<Line> lines) {
        this.lines = List.copyOf(lines);
    }

    /**
     * @param tolerances absolute tolerances by metric name, overriding the defaults; check them
     *     with {@link #validateTolerances} first
     */
    public static BaselineCheck compare(Baseline baseline, Baseline now, Map<String, Double> tolerances) {
        List<Line> lines = new ArrayList<>();
        List<String> keys = baseline.groupKeys();
        for (Baseline.Group old : baseline.groups()) {
            String label = old.swept().label(keys);
            Baseline.Group cur = now.group(old.swept());
            if (cur == null) {
                lines.add(new Line(label, "(group)", old.completed(), Double.NaN, Double.NaN, "present",
                        Verdict.WORSE, "group disappeared"));
                continue;
            }
            boolean shrank = cur.completed() < old.completed();
            if (shrank) {
                lines.add(new Line(label, "n (completed)", old.completed(), cur.completed(),
                        cur.completed() - old.completed(), ">= " + old.completed(), Verdict.WORSE, "n shrank"));
            } else if (cur.completed() > old.completed()) {
                lines.add(new Line(label, "n (completed)", old.completed(), cur.completed(),
                        cur.completed() - old.completed(), ">= " + old.completed(), Verdict.OK, "n grew"));
            }
            for (Map.Entry<String, Summary> e : old.metrics().entrySet()) {
                Line line = metric(label, e.getKey(), e.getValue(), cur.metrics().get(e.getKey()), tolerances, shrank);
                if (line != null) {
                    lines.add(line);
                }
            }
        }
        for (Baseline.Group cur : now.groups()) {
            if (baseline.group(cur.swept()) == null) {
                lines.add(new Line(cur.swept().label(now.groupKeys()), "(group)", Double.NaN, cur.completed(),
                        Double.NaN, "", Verdict.INFO, "new group, not in the baseline"));
            }
        }
        return new BaselineCheck(lines);
    }

    private static Line metric(String group, String name, Summary old, Summary cur, Map<String, Double> tolerances,
            boolean groupShrank) {
        if (old.n() == 0) {
            return null;
        }
        Metric m = Metric.byName(name);
        if (cur == null || cur.n() == 0) {
            return new Line(group, name, old.mean(), Double.NaN, Double.NaN, "present", Verdict.WORSE,
                    "metric disappeared");
        }
        double delta = cur.mean() - old.mean();
        Double tol = tolerances.containsKey(name) ? tolerances.get(name) : m == null ? null : m.defaultTolerance();
        if (cur.n() < old.n() && !groupShrank) {
            return new Line(group, name, old.mean(), cur.mean(), delta, "n >= " + old.n(), Verdict.WORSE,
                    "n shrank from " + old.n() + " to " + cur.n());
        }
        if (tol == null || m == null) {
            return delta == 0 ? null : new Line(group, name, old.mean(), cur.mean(), delta, "not checked", Verdict.INFO, "");
        }
        double limit = tol + SLACK;
        boolean worse = switch (m.direction()) {
            case HIGHER_IS_BETTER -> delta < -limit;
            case LOWER_IS_BETTER -> delta > limit;
            case EXACT -> Math.abs(delta) > limit;
        };
        if (delta == 0 && !worse) {
            return null;
        }
        boolean better = switch (m.direction()) {
            case HIGHER_IS_BETTER -> delta > 0;
            case LOWER_IS_BETTER -> delta < 0;
            case EXACT -> false;
        };
        String allowed = switch (m.direction()) {
            case HIGHER_IS_BETTER -> ">= " + signed(-tol, m);
            case LOWER_IS_BETTER -> "<= " + signed(tol, m);
            case EXACT -> tol == 0 ? "= 0" : "within ±" + m.format(tol);
        };
        Verdict v = worse ? Verdict.WORSE : better ? Verdict.BETTER : Verdict.OK;
        return new Line(group, name, old.mean(), cur.mean(), delta, allowed, v, "");
    }

    /**
     * Checks user tolerances: known metric names ({@code val_acc.<component>} for dataset
     * components), finite and >= 0.
     */
    public static Map<String, Double> validateTolerances(Map<String, Double> given) {
        Map<String, Double> checked = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : given.entrySet()) {
            String name = e.getKey().trim();
            if (Metric.byName(name) == null) {
                throw new UserError(String.format(
                        "--tolerance %s=%s: unknown metric '%s'; known: %s, %s<component>",
                        e.getKey(), e.getValue(), name,
                        Metric.STANDARD.stream().map(Metric::name).collect(Collectors.joining(", ")),
                        Metric.COMPONENT_PREFIX));
            }
            Double v = e.getValue();
            if (v == null || !Double.isFinite(v) || v < 0) {
                throw new UserError(String.format(
                        "--tolerance %s=%s: the tolerance must be an absolute number >= 0", e.getKey(), v));
            }
            checked.put(name, v);
        }
        return checked;
    }

    public List<Line> lines() {
        return lines;
    }

    /** True when anything got worse beyond its tolerance. */
    public boolean failed() {
        return lines.stream().anyMatch(l -> l.verdict() == Verdict.WORSE);
    }

    public long failures() {
        return lines.stream().filter(l -> l.verdict() == Verdict.WORSE).count();
    }

    /** The lines as a fixed-width text table (empty string when nothing moved). */
    public String table() {
        if (lines.isEmpty()) {
            return "";
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"group", "metric", "baseline", "now", "delta", "allowed delta", "verdict"});
        for (Line l : lines) {
            Metric m = Metric.byName(l.metric());
            rows.add(new String[] {
                l.group(),
                l.metric(),
                value(l.baseline(), m),
                value(l.now(), m),
                Double.isNaN(l.delta()) ? "—" : signed(l.delta(), m),
                l.allowed(),
                l.verdict().name() + (l.note().isEmpty() ? "" : " (" + l.note() + ")")
            });
        }
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < rows.size(); j++) {
            String[] r = rows.get(j);
            for (int i = 0; i < r.length; i++) {
                sb.append(String.format("%-" + width[i] + "s", r[i])).append(i < r.length - 1 ? "  " : "");
            }
            sb.append(System.lineSeparator());
            if (j == 0) {
                sb.append(Arrays.stream(width).mapToObj("-"::repeat).collect(Collectors.joining("  ")))
                        .append(System.lineSeparator());
            }
        }
        return sb.toString();
    }

    private static String value(double v, Metric m) {
        if (Double.isNaN(v)) {
            return "—";
        }
        if (m == null) {
            return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.6g", v);
        }
        return m.format(v);
    }

    private static String signed(double v, Metric m) {
        if (m == null && v == Math.rint(v)) {
            return String.format(Locale.ROOT, "%+d", (long) v);
        }
        int decimals = m == null ? 6 : m.decimals();
        return String.format(Locale.ROOT, "%+." + decimals + "f", v);
    }
}

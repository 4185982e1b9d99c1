package org.normlab.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.normlab.results.TrialStatus;

/**
 * The convergence check (sweep key {@code check}): for each checked cell, the final validation
 * accuracy of its main trials (the sweep's budget) against its check trials (the same settings at
 * {@code check.budget} times the steps or epochs), with Welch's 95% interval of the difference
 * and its p (Holm-adjusted over the table's cells), whether the mean difference is within
 * {@code check.tolerance}, and whether the whole interval is: only then does the interval support
 * "converged to that tolerance" (an equivalence claim needs an interval, not a point estimate).
 * Completed trials only.
 *
 * @param rows one per checked cell, in plan order
 * @param tolerance the largest |longer − budget| that counts as converged
 */
record ConvergenceTable(List<Row> rows, double tolerance) {

    /** {@code check.tolerance} when the sweep does not set it. */
    static final double DEFAULT_TOLERANCE = 0.02;

    static final Metric METRIC = Metric.FINAL_VAL_ACC;

    /**
     * @param cell the cell's swept settings (without the check mark)
     * @param factor the budget factor of its check trials
     * @param budget the main trials' metric at the sweep's budget
     * @param longer the check trials' metric at {@code factor} times the budget
     * @param planned how many check trials the plan has for the cell
     */
    record Row(Settings cell, String factor, Summary budget, Summary longer, WelchInterval interval, int planned) {
        /** "yes" when |longer − budget| ≤ tolerance, "no" when not, "—" when a side has no value. */
        String within(double tolerance) {
            if (budget.n() == 0 || longer.n() == 0) {
                return "—";
            }
            return Math.abs(longer.mean() - budget.mean()) <= tolerance ? "yes" : "no";
        }

        /** "yes" when the interval lies inside ±tolerance, "no" when it does not, "—" when it is undefined. */
        String intervalWithin(double tolerance) {
            if (!interval.defined()) {
                return "—";
            }
            return interval.lower() >= -tolerance && interval.upper() <= tolerance ? "yes" : "no";
        }

        /** Welch's test of no difference, the one the interval inverts. */
        WelchTest test() {
            return budget.n() == 0 || longer.n() == 0 ? WelchTest.UNDEFINED : WelchTest.of(longer, budget);
        }
    }

    /** The table of a sweep's check trials; null when it planned and ran none. */
    static ConvergenceTable of(SweepData data) {
        if (data.checkPlanned().isEmpty() && data.checkResults().isEmpty()) {
            return null;
        }
        Map<Settings, String> factors = new LinkedHashMap<>();
        Map<Settings, Integer> planned = new LinkedHashMap<>();
        for (PlannedTrial t : data.checkPlanned()) {
            Settings cell = cell(t.swept());
            factors.putIfAbsent(cell, t.swept().display(SweepData.CHECK_MARK));
            planned.merge(cell, 1, Integer::sum);
        }
        data.checkResults().forEach(r -> factors.putIfAbsent(cell(r.swept()), r.swept().display(SweepData.CHECK_MARK)));
        List<Row> rows = new ArrayList<>();
        factors.forEach((cell, factor) -> {
            Summary budget = summary(data.results().stream().filter(r -> r.swept().equals(cell)).toList());
            Summary longer = summary(data.checkResults().stream().filter(r -> cell(r.swept()).equals(cell)).toList());
            rows.add(new Row(cell, factor, budget, longer, WelchInterval.of(longer, budget, Report.LEVEL),
                    planned.getOrDefault(cell, 0)));
        });
        return new ConvergenceTable(rows, data.definition().checkTolerance(DEFAULT_TOLERANCE));
    }

    private static Settings cell(Settings swept) {
        return swept.without(List.of(SweepData.CHECK_MARK));
    }

    private static Summary summary(List<TrialOutcome> trials) {
        return Summary.of(trials.stream()
                .filter(t -> t.status() == TrialStatus.COMPLETED)
                .map(t -> t.metrics().get(METRIC.name()))
                .filter(Objects::nonNull)
                .toList());
    }

    /** Lays the table out: one column per swept key, then the statistics. */
    void write(Doc doc, List<String> sweptKeys) {
        String factor = rows.stream().map(Row::factor).distinct().reduce((a, b) -> a + "/" + b).orElse("?") + "×";
        doc.heading(1, "Convergence check");
        doc.paragraph("The checked cells (sweep key `check`) ran again at " + factor + " the budget (`steps`, or "
                + "`epochs` without a steps budget), the same seeds and settings otherwise; those trials are in no "
                + "other table, figure or count of this report. **budget** and **" + factor + " budget**: mean ± "
                + "sample std (n−1) of " + METRIC.label() + " over the completed seeds (n); **" + factor
                + " − budget**: the difference of the means with Welch's 95% interval; **within " + number(tolerance)
                + "**: |" + factor + " − budget| ≤ `check.tolerance` (" + number(tolerance) + "): the budget had "
                + "converged to that tolerance in this cell, by its point estimate; **CI within ±" + number(tolerance)
                + "**: the whole interval lies inside ±" + number(tolerance) + ", the only case in which the data "
                + "support \"converged to that tolerance\" (\"no\" with a wide interval means the check could not "
                + "tell); **p (Holm)**: Welch's p of no difference, Holm-adjusted over the table's " + defined()
                + (defined() == 1 ? " cell" : " cells") + " with a p (one Holm family).");
        List<String> header = new ArrayList<>(sweptKeys);
        header.addAll(List.of("budget", factor + " budget", factor + " − budget", "Welch 95% CI", "p (Holm)",
                "CI within ±" + number(tolerance), "within " + number(tolerance)));
        List<Boolean> numeric = new ArrayList<>(sweptKeys.stream().map(k -> false).toList());
        numeric.addAll(List.of(true, true, true, true, true, false, false));
        double[] holm = Holm.adjust(rows.stream().mapToDouble(r -> r.test().p()).toArray());
        List<List<String>> lines = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            List<String> line = new ArrayList<>(sweptKeys.stream().map(k -> r.cell().display(k)).toList());
            line.add(meanSd(r.budget()));
            line.add(meanSd(r.longer()) + (r.longer().n() < r.planned() ? " of " + r.planned() + " planned" : ""));
            line.add(r.budget().n() == 0 || r.longer().n() == 0 ? "—"
                    : String.format(Locale.ROOT, "%+.4f", r.interval().difference()));
            line.add(r.interval().defined()
                    ? String.format(Locale.ROOT, "[%+.4f, %+.4f]", r.interval().lower(), r.interval().upper())
                    : r.interval().undefinedReason());
            line.add(r.test().defined() ? DoseSlopes.p(r.test().p()) + " (" + DoseSlopes.p(holm[i]) + ")" : "—");
            line.add(r.intervalWithin(tolerance));
            line.add(r.within(tolerance));
            lines.add(line);
        }
        doc.table(header, lines, numeric);
    }

    private long defined() {
        return rows.stream().filter(r -> r.test().defined()).count();
    }

    private static String meanSd(Summary s) {
        if (s.n() == 0) {
            return "— (n=0)";
        }
        return String.format(Locale.ROOT, "%.4f ± %s (n=%d)", s.mean(),
                s.hasStd() ? String.format(Locale.ROOT, "%.4f", s.std()) : "—", s.n());
    }

    private static String number(double v) {
        return new java.math.BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    }
}

package org.normlab.report;

import org.normlab.results.TrialStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Lays a {@link Report} and its figures out as a {@link Doc}: what the report says, in which order. */
final class ReportContent {

    /** Longest list of individual trials (missing, diverged, failed) printed in full. */
    private static final int LIST_LIMIT = 50;

    private final Report report;
    private final List<String> keys;
    private final Doc doc;

    private ReportContent(Report report) {
        this.report = report;
        this.keys = report.data().sweptKeys();
        this.doc = new Doc("Sweep report: " + report.data().name());
    }

    /** @param lead the dose–response figure's files, which open the report (none without report.dose_response) */
    static Doc build(Report report, List<Charts.Figure> lead, List<Charts.Figure> figures) {
        ReportContent c = new ReportContent(report);
        DoseSection.build(report, lead, c.doc);
        // the convergence of the attacked cells belongs with the lead: an effect measured before
        // convergence is the trap the check is there for
        ConvergenceTable check = ConvergenceTable.of(report.data());
        if (check != null) {
            check.write(c.doc, c.keys);
        }
        Checks.build(report.data().dirs(), c.doc);
        c.trials();
        c.groups();
        c.comparisons();
        c.figures(figures);
        c.problems();
        c.definition();
        return c.doc;
    }

    private void trials() {
        SweepData d = report.data();
        doc.heading(1, "Trials");
        doc.paragraph("Result folders: " + String.join(", ", d.dirs().stream().map(p -> "`" + p + "`").toList())
                + (d.dirs().size() > 1 ? " (shards of one sweep, merged)." : "."));
        List<String> header = new ArrayList<>(List.of("planned", "completed", "diverged", "failed", "missing"));
        List<String> row = new ArrayList<>(List.of(
                d.planKnown() ? String.valueOf(report.planned()) : "unknown",
                String.valueOf(report.completed()),
                String.valueOf(report.diverged()),
                String.valueOf(report.failed()),
                d.planKnown() ? String.valueOf(report.missing()) : "unknown"));
        if (!d.conflicts().isEmpty()) {
            header.add("conflicting");
            row.add(String.valueOf(d.conflicts().size()));
        }
        if (d.duplicates() > 0) {
            header.add("duplicate copies merged");
            row.add(String.valueOf(d.duplicates()));
        }
        if (!d.unplanned().isEmpty()) {
            header.add("not in trials.json");
            row.add(String.valueOf(d.unplanned().size()));
        }
        doc.table(header, List.of(row), header.stream().map(h -> true).toList());
        List<String> notes = new ArrayList<>();
        if (report.missing() > 0) {
            notes.add("**Partial sweep**: " + report.missing() + " planned trial(s) have no result.json yet; "
                    + "every statistic below is over the trials that have one.");
        }
        if (!d.conflicts().isEmpty()) {
            notes.add("**Conflicts**: " + d.conflicts().size() + " trial(s) have different results in different "
                    + "folders and are left out of every statistic (see *Conflicting trials*).");
        }
        if (!d.stale().isEmpty()) {
            notes.add("**Stale**: " + d.stale().size() + " trial(s) ran with other norm plugins or another NormLab "
                    + "than the last run found (see *Stale trials*); they are counted as they are. Rerun the sweep "
                    + "with `--rerun-stale` to redo exactly those.");
        }
        d.warnings().forEach(w -> notes.add("Warning: " + w));
        doc.bullets(notes);
    }

    private void groups() {
        doc.heading(1, "Results by group");
        doc.paragraph("One row per combination of swept settings, seeds pooled. Each metric: **mean ± sample std "
                + "(n−1)** over the completed trials of the row; n = completed trials. Diverged and failed trials "
                + "are counted, not averaged. \"—\" where there is no value (a std needs n ≥ 2).");
        List<String> header = new ArrayList<>(keys);
        List<Boolean> numeric = new ArrayList<>(keys.stream().map(k -> false).toList());
        boolean conflicts = report.rows().stream().anyMatch(r -> r.conflicts() > 0);
        for (String h : conflicts
                ? List.of("n", "diverged", "failed", "missing", "conflicting")
                : List.of("n", "diverged", "failed", "missing")) {
            header.add(h);
            numeric.add(true);
        }
        for (Metric m : report.metrics()) {
            header.add(m.label());
            numeric.add(true);
        }
        List<List<String>> rows = new ArrayList<>();
        for (GroupRow r : report.rows()) {
            List<String> cells = new ArrayList<>();
            keys.forEach(k -> cells.add(r.settings().display(k)));
            cells.add(String.valueOf(r.completed()));
            cells.add(String.valueOf(r.diverged()));
            cells.add(String.valueOf(r.failed()));
            cells.add(report.data().planKnown() ? String.valueOf(r.missing()) : "?");
            if (conflicts) {
                cells.add(String.valueOf(r.conflicts()));
            }
            for (Metric m : report.metrics()) {
                Summary s = r.summary(m);
                cells.add(m.format(s) + (s.n() != r.completed() && s.n() > 0 ? " (n=" + s.n() + ")" : ""));
            }
            rows.add(cells);
        }
        doc.table(header, rows, numeric);
    }

    private void comparisons() {
        boolean normSwept = report.normSwept();
        doc.heading(1, "Norms against " + NormVariant.REFERENCE + " (Welch 95% CI)");
        if (!normSwept) {
            doc.paragraph("The norm (`" + NormVariant.NAME_KEY + "`, `" + NormVariant.INNER_KEY
                    + "`, a `norm.options.*` key or a named axis that sets the norm) is not swept, so there is nothing "
                    + "to compare.");
            return;
        }
        doc.paragraph("Rows that agree on every swept setting except the norm keys (`"
                + String.join("`, `", report.normKeys().stream().filter(keys::contains).toList())
                + "`) are compared: each norm variant (a named axis' key such as `gn8`, or the norm with its swept "
                + "options such as `gn(groups=8)`) against `" + NormVariant.REFERENCE
                + "` (a wrapper such as `w(iebn)` against `w(" + NormVariant.REFERENCE + ")`, the same attack on BN, "
                + "when that row exists). Difference = mean final val accuracy of the norm − that of the reference, "
                + "over seeds. **Welch 95% CI**: Welch's t-interval (unequal variances, Welch–Satterthwaite df); "
                + "undefined when either side has n < 2. **p**: Welch's two-sided p of no difference; **p Holm (k)**: "
                + "Holm-adjusted over the k comparisons with a p in the same table (each table below is one Holm "
                + "family: every norm and setting it lists, on one metric).");
        comparisonTable(Metric.FINAL_VAL_ACC);
        for (Metric m : List.of(Metric.FINAL_VAL_ACC_PRECISE, Metric.FINAL_VAL_ACC_BATCH)) {
            if (report.metrics().contains(m)) {
                doc.paragraph("The same with " + m.label() + " (eval.stats; `final val acc` is the ema one):");
                comparisonTable(m);
            }
        }
    }

    /**
     * Each norm against its reference on metric {@code m}, with Welch's p and its Holm adjustment
     * over the table's comparisons (the table is the Holm family).
     */
    private void comparisonTable(Metric m) {
        List<List<String>> rows = new ArrayList<>();
        List<WelchTest> tests = new ArrayList<>();
        for (NormComparison c : report.comparisons()) {
            Summary a = c.row().summary(m);
            if (c.reference() == null) {
                rows.add(new ArrayList<>(List.of(context(c.context()), c.label(), a.n() + " vs —", "—", "no reference row", "—", "—")));
                tests.add(WelchTest.UNDEFINED);
                continue;
            }
            Summary b = c.reference().summary(m);
            WelchInterval ci = m.equals(Metric.FINAL_VAL_ACC) ? c.interval() : WelchInterval.of(a, b, Report.LEVEL);
            rows.add(new ArrayList<>(List.of(
                    context(c.context()),
                    c.label(),
                    a.n() + " vs " + b.n(),
                    signed(ci.difference()),
                    ci.defined() ? "[" + signed(ci.lower()) + ", " + signed(ci.upper()) + "]" : ci.undefinedReason(),
                    ci.defined() ? String.format(Locale.ROOT, "%.1f", ci.df()) : "—",
                    ci.defined() ? (ci.excludesZero() ? "yes" : "no") : "—")));
            tests.add(WelchTest.of(a, b));
        }
        double[] holm = Holm.adjust(tests.stream().mapToDouble(WelchTest::p).toArray());
        long family = tests.stream().filter(WelchTest::defined).count();
        for (int i = 0; i < rows.size(); i++) {
            rows.get(i).add(DoseSlopes.p(tests.get(i).p()));
            rows.get(i).add(DoseSlopes.p(holm[i]));
        }
        doc.table(
                List.of("other settings", "comparison", "n", "difference (" + m.label() + ")", "Welch 95% CI", "df",
                        "CI excludes 0", "p", "p Holm (" + family + ")"),
                rows,
                List.of(false, false, true, true, true, true, false, true, true));
    }

    private String context(Settings s) {
        return s.isEmpty() ? "—" : s.label(keys);
    }

    private static String signed(double v) {
        return Double.isNaN(v) ? "—" : String.format(Locale.ROOT, "%+.4f", v);
    }

    private void figures(List<Charts.Figure> figures) {
        doc.heading(1, "Plots");
        if (figures.isEmpty()) {
            doc.paragraph("No completed trial yet, so nothing to plot.");
        }
        figures.forEach(f -> doc.image(f.file(), f.title(), f.caption()));
    }

    private void problems() {
        SweepData d = report.data();
        if (!d.conflicts().isEmpty()) {
            doc.heading(1, "Conflicting trials");
            doc.paragraph("These trial ids have different results in different folders. None of their copies is "
                    + "counted; rerun them or delete the wrong copy.");
            doc.table(List.of("trial", "what differs", "files"),
                    d.conflicts().stream().map(c -> List.of(
                            c.trialId(), c.difference(),
                            String.join(", ", c.files().stream().map(Object::toString).toList()))).toList(),
                    List.of(false, false, false));
        }
        List<TrialOutcome> bad = d.results().stream().filter(r -> r.status() != TrialStatus.COMPLETED).toList();
        if (!bad.isEmpty()) {
            doc.heading(1, "Diverged and failed trials");
            doc.table(List.of("trial", "settings", "seed", "status", "detail"),
                    bad.stream().limit(LIST_LIMIT).map(r -> List.of(
                            r.trialId(), r.swept().label(keys), String.valueOf(r.seed()), r.status().id(),
                            r.detail() == null ? "" : r.detail())).toList(),
                    List.of(false, false, true, false, false));
            more(bad.size());
        }
        if (!d.stale().isEmpty()) {
            doc.heading(1, "Stale trials");
            doc.paragraph("Their result.json records other code (norm plugin jars by SHA-256, NormLab's version) than "
                    + "the last run of the sweep had; that run skipped them (stale.json).");
            Map<String, TrialOutcome> byId = new java.util.HashMap<>();
            d.results().forEach(r -> byId.put(r.trialId(), r));
            doc.table(List.of("trial", "settings", "what changed"),
                    d.stale().entrySet().stream().sorted(Map.Entry.comparingByKey()).limit(LIST_LIMIT).map(e -> List.of(
                            e.getKey(),
                            byId.containsKey(e.getKey()) ? byId.get(e.getKey()).swept().label(keys) : "—",
                            String.join("; ", e.getValue()))).toList(),
                    List.of(false, false, false));
            more(d.stale().size());
        }
        List<PlannedTrial> missing = d.missing();
        if (!missing.isEmpty()) {
            doc.heading(1, "Missing trials");
            doc.paragraph("Planned in trials.json, no result.json in any folder (not run yet, still running, or killed).");
            doc.table(List.of("trial", "settings", "seed"),
                    missing.stream().limit(LIST_LIMIT).map(t -> List.of(
                            t.trialId(), t.swept() == null ? "—" : t.swept().label(keys), String.valueOf(t.seed()))).toList(),
                    List.of(false, false, true));
            more(missing.size());
        }
    }

    private void more(int size) {
        if (size > LIST_LIMIT) {
            doc.paragraph("… and " + (size - LIST_LIMIT) + " more.");
        }
    }

    private void definition() {
        SweepData d = report.data();
        doc.heading(1, "Sweep definition");
        Map<String, List<String>> grid = d.grid();
        List<List<String>> rows = new ArrayList<>();
        grid.forEach((k, v) -> rows.add(List.of(k, String.join(", ", v))));
        rows.add(List.of("seed", String.join(", ", d.seeds().stream().map(String::valueOf).toList())));
        doc.paragraph("Grid (from " + (d.planKnown() ? "trials.json" : "the results; no trials.json") + "):");
        doc.table(List.of("setting", "values"), rows, List.of(false, false));
        if (d.sweepYaml() != null) {
            doc.paragraph("The resolved sweep (sweep.yaml: base settings after --set, the grid, the seeds):");
            doc.code(d.sweepYaml());
        } else {
            doc.paragraph("No sweep.yaml was found in the result folders.");
        }
    }
}

package org.normlab.report;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The report's lead, for a sweep with {@code report.dose_response}: the dose–response figure,
 * each family's primary statistic ({@link DoseSlopes}), then the compact pivot table (norms as columns, attack × strength × the other settings as
 * rows) and each norm's difference from bn with its Welch 95% interval in the same layout, and
 * those differences' Holm-adjusted p-values ({@link DoseDifferenceTests}); for a family with
 * dataset components (mix), the accuracy per component ({@link DoseComponents}).
 */
final class DoseSection {

    private final Report report;
    private final DoseTable table;
    private final Doc doc;

    private DoseSection(Report report, Doc doc) {
        this.report = report;
        this.table = report.dose();
        this.doc = doc;
    }

    /** Adds the lead to {@code doc}; nothing when the sweep has no {@code report.dose_response}. */
    static void build(Report report, List<Charts.Figure> figures, Doc doc) {
        if (report.dose() == null) {
            return;
        }
        DoseSection s = new DoseSection(report, doc);
        doc.heading(1, "Dose–response");
        s.notes();
        figures.forEach(f -> doc.image(f.file(), f.title(), f.caption()));
        DoseSlopes.build(report.dose(), doc);
        s.pivot();
        s.differences();
        DoseDifferenceTests.build(report.dose(), doc);
        DosePairedDifferences.build(report.dose(), doc);
        DoseComponents.build(report.dose(), doc);
    }

    private void notes() {
        List<String> notes = new ArrayList<>();
        notes.add("Families (report.dose_response): " + table.spec().families().stream()
                .map(f -> "**" + f.name() + "** = trials with " + f.where().entrySet().stream()
                        .map(e -> "`" + e.getKey() + ": " + Settings.display(e.getValue()) + "`")
                        .collect(Collectors.joining(", ")) + ", strength `" + f.strength() + "`")
                .collect(Collectors.joining("; ")) + ". Strength 0 of every family: **"
                + table.spec().baseline().name() + "**, " + (table.spec().baseline().where() == null
                        ? "the trials in no family whose `" + DoseSpec.ATTACK_KEY + "` is `" + DoseSpec.NO_ATTACK + "`."
                        : "the trials in no family with " + table.spec().baseline().where().entrySet().stream()
                                .map(e -> "`" + e.getKey() + ": " + Settings.display(e.getValue()) + "`")
                                .collect(Collectors.joining(", ")) + "."));
        if (report.missing() > 0) {
            notes.add("**Partial sweep**: " + report.missing() + " planned trial(s) have no result yet.");
        }
        if (!table.unseen().isEmpty()) {
            notes.add("No result (yet) in the famil" + (table.unseen().size() == 1 ? "y " : "ies ")
                    + String.join(", ", table.unseen()) + ".");
        }
        if (table.outside() > 0) {
            notes.add(table.outside() + " result(s) are in no family and not in the baseline; they are in the "
                    + "tables below, not here.");
        }
        doc.bullets(notes);
    }

    private void pivot() {
        doc.paragraph("Final validation accuracy, **mean ± sample std (n−1) (n)** over the completed trials (seeds); "
                + "\"—\" where the norm has no completed trial there.");
        List<String> header = rowHeader();
        List<Boolean> numeric = new ArrayList<>(header.stream().map(h -> h.equals("strength")).toList());
        table.norms().forEach(n -> {
            header.add(n);
            numeric.add(true);
        });
        List<List<String>> rows = new ArrayList<>();
        for (DoseTable.Row r : table.rows()) {
            List<String> cells = rowCells(r);
            for (String norm : table.norms()) {
                Summary s = r.summary(norm);
                cells.add(s.n() == 0 ? "—" : Metric.FINAL_VAL_ACC.format(s) + " (" + s.n() + ")");
            }
            rows.add(cells);
        }
        doc.table(header, rows, numeric);
    }

    private void differences() {
        String ref = NormVariant.REFERENCE;
        List<String> others = table.norms().stream().filter(n -> !n.equals(ref)).toList();
        if (!table.norms().contains(ref) || others.isEmpty()) {
            doc.paragraph("No difference vs " + ref + ": the figure needs " + ref + " and another norm.");
            return;
        }
        doc.paragraph("Difference vs " + ref + ": **Δ [95% CI]** = mean final val accuracy of the norm − that of "
                + ref + " in the same row, with Welch's 95% t-interval (unequal variances, Welch–Satterthwaite df); "
                + "\"undefined\" when either side has n < 2 (or both have zero variance), \"—\" where either has no "
                + "completed trial.");
        List<String> header = rowHeader();
        List<Boolean> numeric = new ArrayList<>(header.stream().map(h -> h.equals("strength")).toList());
        others.forEach(n -> {
            header.add(n + " − " + ref);
            numeric.add(true);
        });
        List<List<String>> rows = new ArrayList<>();
        for (DoseTable.Row r : table.rows()) {
            List<String> cells = rowCells(r);
            Summary b = r.summary(ref);
            for (String norm : others) {
                Summary a = r.summary(norm);
                cells.add(a.n() == 0 || b.n() == 0 ? "—" : difference(WelchInterval.of(a, b, Report.LEVEL)));
            }
            rows.add(cells);
        }
        doc.table(header, rows, numeric);
    }

    /** {@code +0.0500 [+0.0123, +0.0877]}. */
    static String difference(WelchInterval ci) {
        return signed(ci.difference()) + " ["
                + (ci.defined() ? signed(ci.lower()) + ", " + signed(ci.upper()) : "undefined") + "]";
    }

    private List<String> rowHeader() {
        List<String> header = new ArrayList<>(List.of("attack", "strength"));
        header.addAll(table.contextKeys());
        return header;
    }

    private List<String> rowCells(DoseTable.Row r) {
        List<String> cells = new ArrayList<>(List.of(r.family(), strength(r.strength())));
        table.contextKeys().forEach(k -> cells.add(r.context().display(k)));
        return cells;
    }

    /** 0.25 as "0.25", 1.0 as "1". */
    static String strength(double x) {
        return new BigDecimal(Double.toString(x)).stripTrailingZeros().toPlainString();
    }

    private static String signed(double v) {
        return String.format(Locale.ROOT, "%+.4f", v);
    }
}

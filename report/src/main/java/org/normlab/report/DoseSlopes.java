package org.normlab.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The primary statistic of each dose–response family: per norm (and per combination of the
 * other settings, e.g. the batch size), the OLS slope of final validation accuracy against the
 * family's strength over its trials, the baseline's trials at strength 0; and the difference of
 * each norm's slope from bn's with its Welch–Satterthwaite interval and p, Holm-adjusted over the
 * family's slope differences. One test per norm and context answers "does the attack hurt this
 * norm less than bn", where a cell-by-cell table asks it once per strength.
 */
final class DoseSlopes {

    /** One norm in one family and context. */
    record Line(String family, Settings context, String norm, Slope slope, SlopeDifference vsReference) {}

    private DoseSlopes() {}

    /** Every family's lines, in the table's family, context and norm order. */
    static Map<String, List<Line>> of(DoseTable table) {
        Map<String, List<Line>> byFamily = new LinkedHashMap<>();
        String ref = NormVariant.REFERENCE;
        for (DoseSpec.Family f : table.spec().families()) {
            List<Line> lines = new ArrayList<>();
            for (Settings context : table.contexts()) {
                List<DoseTable.Row> rows = new ArrayList<>();
                DoseTable.Row base = table.baseline(context);
                if (base != null) {
                    rows.add(base);
                }
                rows.addAll(table.rows(f.name(), context));
                if (rows.stream().noneMatch(r -> !r.baseline())) {
                    continue;
                }
                Map<String, Slope> slopes = new LinkedHashMap<>();
                for (String norm : table.norms()) {
                    if (rows.stream().anyMatch(r -> !r.baseline() && !r.trials(norm).isEmpty())) {
                        slopes.put(norm, slope(rows, norm));
                    }
                }
                Slope refSlope = slopes.get(ref);
                slopes.forEach((norm, s) -> lines.add(new Line(f.name(), context, norm, s,
                        norm.equals(ref) || refSlope == null ? null : SlopeDifference.of(s, refSlope, Report.LEVEL))));
            }
            if (!lines.isEmpty()) {
                byFamily.put(f.name(), lines);
            }
        }
        return byFamily;
    }

    /** The OLS slope of one norm's final val accuracy over the trials of {@code rows}. */
    private static Slope slope(List<DoseTable.Row> rows, String norm) {
        List<double[]> points = new ArrayList<>();
        for (DoseTable.Row r : rows) {
            for (TrialOutcome t : r.trials(norm)) {
                points.add(new double[] {r.strength(), t.metrics().get(Metric.FINAL_VAL_ACC.name())});
            }
        }
        return Slope.of(points.stream().mapToDouble(p -> p[0]).toArray(), points.stream().mapToDouble(p -> p[1]).toArray(),
                Report.LEVEL);
    }

    /** The section: one table per family, after the figure. */
    static void build(DoseTable table, Doc doc) {
        Map<String, List<Line>> byFamily = of(table);
        if (byFamily.isEmpty()) {
            return;
        }
        String ref = NormVariant.REFERENCE;
        doc.heading(2, "Primary statistic: slope against strength");
        doc.paragraph("For each family, the **primary statistic** is **slope − " + ref + "**: the difference between a "
                + "norm's slope and " + ref + "'s in the same other settings. **slope [95% CI]**: ordinary least squares "
                + "of final val accuracy on the family's strength, one point per completed trial (strength 0: the "
                + "baseline's trials), with the t-interval on n − 2 df (accuracy per unit of strength; negative = "
                + "the attack costs accuracy). **slope − " + ref + "**: the difference of the two independent slopes, "
                + "standard error sqrt(se² + se_" + ref + "²), Welch–Satterthwaite df (residual variances not assumed "
                + "equal), its 95% t-interval and two-sided p. **p Holm**: Holm-adjusted over the family's slope "
                + "differences (the Holm family: every row of that family's table with a p; each attack family is "
                + "one question). \"undefined\" with fewer than 3 trials or a single strength.");
        for (Map.Entry<String, List<Line>> e : byFamily.entrySet()) {
            List<Line> lines = e.getValue();
            double[] holm = Holm.adjust(lines.stream()
                    .mapToDouble(l -> l.vsReference() == null ? Double.NaN : l.vsReference().p()).toArray());
            long family = lines.stream().filter(l -> l.vsReference() != null && l.vsReference().defined()).count();
            doc.heading(3, e.getKey() + " (Holm family: " + family + " slope difference" + (family == 1 ? "" : "s") + ")");
            List<String> header = new ArrayList<>(table.contextKeys());
            header.addAll(List.of("norm", "n", "slope [95% CI]", "slope − " + ref + " [95% CI]", "df", "p", "p Holm"));
            List<Boolean> numeric = new ArrayList<>(table.contextKeys().stream().map(k -> false).toList());
            numeric.addAll(List.of(false, true, true, true, true, true, true));
            List<List<String>> rows = new ArrayList<>();
            for (int i = 0; i < lines.size(); i++) {
                Line l = lines.get(i);
                List<String> cells = new ArrayList<>();
                table.contextKeys().forEach(k -> cells.add(l.context().display(k)));
                cells.add(l.norm());
                cells.add(String.valueOf(l.slope().n()));
                cells.add(interval(l.slope().slope(), l.slope().lower(), l.slope().upper(), l.slope().defined()));
                SlopeDifference d = l.vsReference();
                if (d == null) {
                    cells.addAll(List.of("—", "—", "—", "—"));
                } else {
                    cells.add(interval(d.difference(), d.lower(), d.upper(), d.defined()));
                    cells.add(d.defined() ? String.format(Locale.ROOT, "%.1f", d.df()) : "—");
                    cells.add(p(d.p()));
                    cells.add(p(holm[i]));
                }
                rows.add(cells);
            }
            doc.table(header, rows, numeric);
        }
    }

    private static String interval(double value, double lower, double upper, boolean defined) {
        if (Double.isNaN(value)) {
            return "undefined";
        }
        return signed(value) + " [" + (defined ? signed(lower) + ", " + signed(upper) : "undefined") + "]";
    }

    private static String signed(double v) {
        return String.format(Locale.ROOT, "%+.4f", v);
    }

    /** A p-value with four decimals; "< 0.0001" below that. */
    static String p(double p) {
        if (Double.isNaN(p)) {
            return "—";
        }
        return p < 1e-4 ? "< 0.0001" : String.format(Locale.ROOT, "%.4f", p);
    }
}

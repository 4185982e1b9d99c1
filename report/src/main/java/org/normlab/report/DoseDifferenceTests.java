package org.normlab.report;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;

/**
 * Beside the dose–response difference table (each norm − bn per attack, strength and context,
 * Welch intervals): the same cells' Welch p-values, raw and Holm-adjusted over every cell of the
 * table, which is the family a reader scans for "significant" cells.
 */
final class DoseDifferenceTests {

    private DoseDifferenceTests() {}

    static void build(DoseTable table, Doc doc) {
        String ref = NormVariant.REFERENCE;
        List<String> others = table.norms().stream().filter(n -> !n.equals(ref)).toList();
        if (!table.norms().contains(ref) || others.isEmpty()) {
            return;
        }
        List<WelchTest> tests = new ArrayList<>();
        for (DoseTable.Row r : table.rows()) {
            for (String norm : others) {
                Summary a = r.summary(norm);
                Summary b = r.summary(ref);
                tests.add(a.n() == 0 || b.n() == 0 ? null : WelchTest.of(a, b));
            }
        }
        double[] holm = Holm.adjust(tests.stream().mapToDouble(t -> t == null ? Double.NaN : t.p()).toArray());
        long family = tests.stream().filter(t -> t != null && t.defined()).count();
        doc.paragraph("The same differences tested: **p (Holm)** = Welch's two-sided p of \"no difference\" (the test "
                + "the interval above inverts), then Holm-adjusted over the **" + family + " defined cells of the "
                + "difference table** (the Holm family: every norm, attack, strength and context in it). A cell "
                + "significant at 5% after the correction has p Holm < 0.05; \"—\" where the interval is undefined "
                + "or either side has no trial.");
        layOut(table, others, n -> n + " − " + ref + ": p (Holm)", i -> {
            WelchTest t = tests.get(i);
            return t == null || !t.defined() ? "—" : DoseSlopes.p(t.p()) + " (" + DoseSlopes.p(holm[i]) + ")";
        }, doc);
    }

    /**
     * A table of one cell per row of {@code table} and norm of {@code others} (row by row, norm by
     * norm: cell {@code i} is the i-th such pair), after the row's attack, strength and context.
     */
    static void layOut(DoseTable table, List<String> others, UnaryOperator<String> column,
            IntFunction<String> cell, Doc doc) {
        List<String> header = new ArrayList<>(List.of("attack", "strength"));
        header.addAll(table.contextKeys());
        List<Boolean> numeric = new ArrayList<>(header.stream().map(h -> h.equals("strength")).toList());
        others.forEach(n -> {
            header.add(column.apply(n));
            numeric.add(true);
        });
        List<List<String>> rows = new ArrayList<>();
        int i = 0;
        for (DoseTable.Row r : table.rows()) {
            List<String> cells = new ArrayList<>(List.of(r.family(), DoseSection.strength(r.strength())));
            table.contextKeys().forEach(k -> cells.add(r.context().display(k)));
            for (String ignored : others) {
                cells.add(cell.apply(i++));
            }
            rows.add(cells);
        }
        doc.table(header, rows, numeric);
    }
}

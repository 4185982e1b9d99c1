package org.normlab.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * After the Welch difference table: the same cells paired by seed ({@link PairedDifference}),
 * each with its paired 95% interval and p, Holm-adjusted over the table's defined cells (its own
 * family). Welch's table treats two norms' trials as independent samples; they are not, when the
 * same seed gave both the same initialisation and data order, and the paired test uses that.
 */
final class DosePairedDifferences {

    private DosePairedDifferences() {}

    static void build(DoseTable table, Doc doc) {
        String ref = NormVariant.REFERENCE;
        List<String> others = table.norms().stream().filter(n -> !n.equals(ref)).toList();
        if (!table.norms().contains(ref) || others.isEmpty()) {
            return;
        }
        List<PairedDifference> tests = new ArrayList<>();
        for (DoseTable.Row r : table.rows()) {
            for (String norm : others) {
                tests.add(PairedDifference.of(r.trials(norm), r.trials(ref), Report.LEVEL));
            }
        }
        double[] holm = Holm.adjust(tests.stream().mapToDouble(PairedDifference::p).toArray());
        long family = tests.stream().filter(PairedDifference::defined).count();
        doc.paragraph("The same differences **paired by seed**: a trial's seed fixes its initialisation and its data "
                + "order, the same for every norm in a cell, so each seed gives one difference norm − " + ref + ". "
                + "**Δ [95% CI], p (Holm)** = the mean of those differences with the paired t-interval (n − 1 df, "
                + "n = the seeds both norms completed), the paired t-test's two-sided p, then Holm-adjusted over the **"
                + family + " defined cells of this table** (its own family). \"—\" where fewer than two seeds pair "
                + "or the differences do not vary.");
        DoseDifferenceTests.layOut(table, others, n -> n + " − " + ref + " paired: Δ [95% CI], p (Holm)",
                i -> cell(tests.get(i), holm[i]), doc);
    }

    static String cell(PairedDifference d, double holm) {
        if (!d.defined()) {
            return "—";
        }
        return String.format(Locale.ROOT, "%+.3f [%+.3f, %+.3f], %s (%s)", d.difference(), d.lower(), d.upper(),
                DoseSlopes.p(d.p()), DoseSlopes.p(holm));
    }
}

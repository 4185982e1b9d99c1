package org.normlab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.statistics.distribution.TDistribution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dose–response section's corrected statistics on {@link DoseSweep}, whose accuracies are
 * base + slope * strength + a seed's noise: each norm's OLS slope is exactly the fixture's, its
 * residuals are the noise, so the standard errors, intervals and Holm families have closed forms.
 */
class DoseStatisticsTest {

    @TempDir Path tmp;

    /** Strengths of the constant family with the baseline: 0, 0.25, 1, three seeds each; Sxx = 1.625. */
    private static final double SXX = 3 * (Math.pow(1.25 / 3, 2) + Math.pow(0.25 - 1.25 / 3, 2) + Math.pow(1 - 1.25 / 3, 2));
    /** Sum of squared deviations of the seeds' noise: bn {-0.01, 0, 0.02}: 7/3 x 2 e-4; iebn {-0.015, 0.005, 0.01}: 3.5e-4. */
    private static final double SS_BN = 2 * 7.0 / 3 * 1e-4;
    private static final double SS_IEBN = 3.5e-4;

    private Report report() {
        DoseSweep.write(tmp, Map.of("dose_response", DoseSweep.families()));
        return Reports.build(List.of(tmp));
    }

    @Test
    void theSlopesAreTheFixturesWithResidualsFromTheNoise() {
        Map<String, List<DoseSlopes.Line>> byFamily = DoseSlopes.of(report().dose());
        assertEquals(List.of("constant", "mix"), List.copyOf(byFamily.keySet()));
        // constant: bn and iebn at batch 16 and 128 (gn is excluded); mix: bn, iebn, gn at both
        assertEquals(4, byFamily.get("constant").size());
        assertEquals(6, byFamily.get("mix").size());

        DoseSlopes.Line bn128 = line(byFamily.get("constant"), "128", "bn");
        DoseSlopes.Line iebn128 = line(byFamily.get("constant"), "128", "iebn");
        assertNull(bn128.vsReference(), "bn is the reference");
        assertEquals(9, bn128.slope().n());
        assertEquals(-0.20, bn128.slope().slope(), 1e-12);
        double seBn = Math.sqrt(3 * SS_BN / 7 / SXX);   // RSS = 3 strengths x the noise's SS, df = 9 - 2
        assertEquals(seBn, bn128.slope().se(), 1e-12);
        double seIebn = Math.sqrt(3 * SS_IEBN / 7 / SXX);
        assertEquals(-0.10, iebn128.slope().slope(), 1e-12);
        assertEquals(seIebn, iebn128.slope().se(), 1e-12);
        double half = TDistribution.of(7).inverseCumulativeProbability(0.975) * seIebn;
        assertEquals(-0.10 - half, iebn128.slope().lower(), 1e-12);

        SlopeDifference d = iebn128.vsReference();
        assertEquals(0.10, d.difference(), 1e-12);
        double v = seIebn * seIebn + seBn * seBn;
        double df = v * v / (Math.pow(seIebn, 4) / 7 + Math.pow(seBn, 4) / 7);
        assertEquals(df, d.df(), 1e-9);
        assertEquals(0.10 - TDistribution.of(df).inverseCumulativeProbability(0.975) * Math.sqrt(v), d.lower(), 1e-12);
        assertEquals(2 * TDistribution.of(df).survivalProbability(0.10 / Math.sqrt(v)), d.p(), 1e-15);

        // iebn at 16 lost seed 3 at b = 1 (diverged): 8 trials
        assertEquals(8, line(byFamily.get("constant"), "16", "iebn").slope().n());
        // mix: gn's slope is -0.04 per unit of ratio; at 128 seed 2 of ratio 0.5 failed, so 8 trials
        assertEquals(-0.04, line(byFamily.get("mix"), "16", "gn").slope().slope(), 1e-12);
        assertEquals(8, line(byFamily.get("mix"), "128", "gn").slope().n());
    }

    @Test
    void eachFamilyIsItsOwnHolmFamilyAndTheTableSaysSo() {
        Report report = report();
        Map<String, List<DoseSlopes.Line>> byFamily = DoseSlopes.of(report.dose());
        Doc doc = ReportContent.build(report, List.of(), List.of());
        List<String> headings = new ArrayList<>();
        doc.blocks.stream().filter(b -> b instanceof Doc.Heading h && h.level() == 3)
                .forEach(b -> headings.add(((Doc.Heading) b).text()));
        assertEquals(List.of("constant (Holm family: 2 slope differences)", "mix (Holm family: 4 slope differences)"), headings);

        Doc.Table constant = tableAfter(doc, "constant (Holm family: 2 slope differences)");
        assertEquals(List.of("data.batch_size", "norm", "n", "slope [95% CI]", "slope − bn [95% CI]", "df", "p", "p Holm"),
                constant.header());
        assertEquals(4, constant.rows().size());
        // Holm over the two iebn − bn differences (16 and 128): the smaller p x 2, the larger x 1 (not below it)
        double p16 = line(byFamily.get("constant"), "16", "iebn").vsReference().p();
        double p128 = line(byFamily.get("constant"), "128", "iebn").vsReference().p();
        double low = Math.min(p16, p128);
        double high = Math.max(p16, p128);
        List<String> iebn16 = constant.rows().get(1);
        List<String> iebn128 = constant.rows().get(3);
        assertEquals(List.of("16", "iebn"), iebn16.subList(0, 2));
        assertEquals(DoseSlopes.p(p16 == low ? 2 * low : Math.max(2 * low, high)), iebn16.get(7));
        assertEquals(DoseSlopes.p(p128 == low ? 2 * low : Math.max(2 * low, high)), iebn128.get(7));
        assertEquals("—", constant.rows().get(0).get(7), "bn has no difference from itself");
        assertEquals(String.format(Locale.ROOT, "%+.4f [", -0.10), iebn128.get(3).substring(0, 9));
        assertTrue(iebn128.get(4).startsWith("+0.1000 ["), iebn128.toString());
    }

    @Test
    void theDifferenceTablesCellsGetWelchPAndHolmOverTheWholeTable() {
        Report report = report();
        Doc doc = ReportContent.build(report, List.of(), List.of());
        Doc.Table tests = doc.blocks.stream().filter(b -> b instanceof Doc.Table t
                && t.header().contains("iebn − bn: p (Holm)")).map(b -> (Doc.Table) b).findFirst().orElseThrow();
        assertEquals(List.of("attack", "strength", "data.batch_size", "iebn − bn: p (Holm)", "gn − bn: p (Holm)"), tests.header());
        assertEquals(10, tests.rows().size());
        // The family: 10 rows x 2 norms, minus gn's 4 constant cells = 16 defined cells.
        DoseTable t = report.dose();
        List<Double> ps = new ArrayList<>();
        for (DoseTable.Row r : t.rows()) {
            for (String n : List.of("iebn", "gn")) {
                if (r.summary(n).n() > 0) {
                    ps.add(WelchTest.of(r.summary(n), r.summary("bn")).p());
                }
            }
        }
        assertEquals(16, ps.size());
        double[] holm = Holm.adjust(ps.stream().mapToDouble(Double::doubleValue).toArray());
        // gn − bn, mix 0.25, batch 16 (row 6): equal stds, n = 3 each: t = -0.04 / sqrt(2 STD^2 / 3), df 4
        double std2 = 7.0 / 3 * 1e-4;
        double p = 2 * TDistribution.of(4).cumulativeProbability(-0.04 / Math.sqrt(2 * std2 / 3));
        // defined cells in row order: none 16 and 128 (iebn, gn: 0-3), constant x 4 rows (iebn only: 4-7),
        // mix 0.25 at 16 (iebn 8, gn 9)
        int index = 9;
        assertEquals(p, ps.get(index), 1e-15);
        assertEquals(DoseSlopes.p(p) + " (" + DoseSlopes.p(holm[index]) + ")", tests.rows().get(6).get(4));
        assertEquals("—", tests.rows().get(2).get(4), "no gn under the constant attack");
        assertTrue(doc.blocks.stream().anyMatch(b -> b instanceof Doc.Paragraph para
                && para.text().contains("Holm-adjusted over the **16 defined cells of the difference table**")));
    }

    @Test
    void thePairedTablePairsBySeedWithHolmOverItsOwnFamily() {
        Report report = report();
        Doc doc = ReportContent.build(report, List.of(), List.of());
        Doc.Table paired = doc.blocks.stream().filter(b -> b instanceof Doc.Table t
                && t.header().contains("iebn − bn paired: Δ [95% CI], p (Holm)")).map(b -> (Doc.Table) b).findFirst().orElseThrow();
        assertEquals(10, paired.rows().size());
        // gn and bn share each seed's noise, so their paired differences do not vary: no gn cell is
        // defined; iebn's are in all 10 rows (constant-1 at 16 with the 2 seeds that did not diverge)
        assertTrue(paired.rows().stream().allMatch(r -> r.get(4).equals("—")), paired.rows().toString());
        assertTrue(doc.blocks.stream().anyMatch(b -> b instanceof Doc.Paragraph para
                && para.text().contains("Holm-adjusted over the **10 defined cells of this table**")));
        // row 0 (no attack, batch 16), by hand: d_seed = acc(iebn) - acc(bn), Student's t with 2 df
        double[] d = new double[3];
        for (int seed = 1; seed <= 3; seed++) {
            d[seed - 1] = DoseSweep.acc("iebn", "none", 16, seed) - DoseSweep.acc("bn", "none", 16, seed);
        }
        double mean = (d[0] + d[1] + d[2]) / 3;
        double sd = Math.sqrt((Math.pow(d[0] - mean, 2) + Math.pow(d[1] - mean, 2) + Math.pow(d[2] - mean, 2)) / 2);
        double p = 2 * TDistribution.of(2).survivalProbability(Math.abs(mean) / (sd / Math.sqrt(3)));
        double half = TDistribution.of(2).inverseCumulativeProbability(0.975) * sd / Math.sqrt(3);
        String cell = paired.rows().get(0).get(3);
        assertTrue(cell.startsWith(String.format(Locale.ROOT, "%+.3f [%+.3f, %+.3f], %s (", mean, mean - half, mean + half,
                DoseSlopes.p(p))), cell + " vs p " + p);
    }

    @Test
    void theNormsAgainstBnTableGetsPAndHolmOverItsComparisons() {
        Report report = report();
        Doc doc = ReportContent.build(report, List.of(), List.of());
        Doc.Table norms = doc.blocks.stream().filter(b -> b instanceof Doc.Table t && t.header().contains("comparison"))
                .map(b -> (Doc.Table) b).findFirst().orElseThrow();
        int k = (int) report.comparisons().stream().filter(c -> c.reference() != null
                && WelchTest.of(c.row().summary(Metric.FINAL_VAL_ACC), c.reference().summary(Metric.FINAL_VAL_ACC)).defined()).count();
        assertEquals("p Holm (" + k + ")", norms.header().get(8));
        double[] ps = report.comparisons().stream().mapToDouble(c -> c.reference() == null ? Double.NaN
                : WelchTest.of(c.row().summary(Metric.FINAL_VAL_ACC), c.reference().summary(Metric.FINAL_VAL_ACC)).p()).toArray();
        double[] holm = Holm.adjust(ps);
        assertEquals(ps.length, norms.rows().size());
        for (int i = 0; i < ps.length; i++) {
            assertEquals(DoseSlopes.p(ps[i]), norms.rows().get(i).get(7), "row " + i);
            assertEquals(DoseSlopes.p(holm[i]), norms.rows().get(i).get(8), "row " + i);
        }
        assertTrue(k >= 10, "a family of many comparisons, k = " + k);
    }

    private static DoseSlopes.Line line(List<DoseSlopes.Line> lines, String batch, String norm) {
        return lines.stream().filter(l -> l.norm().equals(norm) && l.context().display("data.batch_size").equals(batch))
                .findFirst().orElseThrow(() -> new AssertionError("no line " + norm + " at " + batch));
    }

    private static Doc.Table tableAfter(Doc doc, String heading) {
        boolean after = false;
        for (Doc.Block b : doc.blocks) {
            if (b instanceof Doc.Heading h) {
                after = h.text().equals(heading);
            } else if (after && b instanceof Doc.Table t) {
                return t;
            }
        }
        throw new AssertionError("no table after " + heading);
    }
}

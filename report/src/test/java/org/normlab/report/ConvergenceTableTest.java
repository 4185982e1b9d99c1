package org.normlab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Convergence check table on hand-made results: check trials (swept check.budget) are in no
 * main count or group, and each checked cell's row holds its two means, their difference, Welch's
 * interval (computed here) and whether the difference is within check.tolerance.
 */
class ConvergenceTableTest {

    @TempDir Path tmp;

    private static Map<String, Object> m(double acc) {
        return SweepFixture.metrics(acc, acc, 0.9, 0.5, 1000, 500.0);
    }

    /**
     * bn: budget {0.70, 0.74, 0.72}, 2x {0.75, 0.77, 0.79}; gn: budget {0.60, 0.62}, 2x {0.61} with one
     * check trial missing; iebn is not checked. Tolerance 0.03.
     */
    private Report report() {
        SweepFixture f = new SweepFixture(tmp, "cc").sweepKey("check", Map.of("budget", 2, "tolerance", 0.03));
        double[][] main = {{0.70, 0.74, 0.72}, {0.60, 0.62}, {0.80, 0.81}};
        String[] norms = {"bn", "gn", "iebn"};
        int id = 0;
        for (int n = 0; n < 3; n++) {
            for (int s = 0; s < main[n].length; s++) {
                var swept = SweepFixture.swept("norm.name", norms[n]);
                f.plan("m" + id, s + 1, swept).result("m" + id, s + 1, swept, "completed", m(main[n][s]), List.of());
                id++;
            }
        }
        double[] bn2 = {0.75, 0.77, 0.79};
        for (int s = 0; s < 3; s++) {
            var swept = SweepFixture.swept("norm.name", "bn", "check.budget", 2);
            f.plan("c" + s, s + 1, swept).result("c" + s, s + 1, swept, "completed", m(bn2[s]), List.of());
        }
        var gn = SweepFixture.swept("norm.name", "gn", "check.budget", 2);
        f.plan("c3", 1, gn).result("c3", 1, gn, "completed", m(0.61), List.of());
        f.plan("c4", 2, gn);   // not run yet
        f.writePlan(Map.of("norm.name", List.of("bn", "gn", "iebn")), List.of(1, 2, 3));
        return Reports.build(List.of(tmp));
    }

    @Test
    void checkTrialsAreCountedOnlyInTheConvergenceTable() throws Exception {
        Report r = report();
        assertEquals(7, r.planned(), "the main trials only");
        assertEquals(0, r.missing(), "the missing check trial is not a missing main trial");
        assertEquals(List.of("norm.name"), r.data().sweptKeys());
        assertEquals(3, r.rows().size());
        assertEquals(0.72, r.rows().get(0).summary(Metric.FINAL_VAL_ACC).mean(), 1e-12, "bn's row: its main trials");

        ConvergenceTable t = ConvergenceTable.of(r.data());
        assertEquals(2, t.rows().size());
        assertEquals(0.03, t.tolerance());
        ConvergenceTable.Row bn = t.rows().get(0);
        assertEquals(0.72, bn.budget().mean(), 1e-12);
        assertEquals(0.77, bn.longer().mean(), 1e-12);
        // Welch: both sides sd 0.02, n 3: se = sqrt(2 x 0.0004 / 3), df = 4
        double half = org.apache.commons.statistics.distribution.TDistribution.of(4).inverseCumulativeProbability(0.975)
                * Math.sqrt(2 * 0.0004 / 3);
        assertEquals(4, bn.interval().df(), 1e-9);
        assertEquals(0.05 - half, bn.interval().lower(), 1e-12);
        assertEquals(0.05 + half, bn.interval().upper(), 1e-12);
        assertEquals("no", bn.within(0.03));
        assertEquals("yes", bn.within(0.05));
        // the interval (0.05 -+ 0.045) is inside +-0.1 but not inside +-0.05: the point estimate alone says "within"
        assertEquals("no", bn.intervalWithin(0.05));
        assertEquals("yes", bn.intervalWithin(0.1));
        // Welch p, t = 0.05 / sqrt(2 x 0.0004 / 3) with 4 df
        double p = 2 * org.apache.commons.statistics.distribution.TDistribution.of(4)
                .survivalProbability(0.05 / Math.sqrt(2 * 0.0004 / 3));
        assertEquals(p, bn.test().p(), 1e-12);
        ConvergenceTable.Row gnRow = t.rows().get(1);
        assertEquals(2, gnRow.planned());
        assertEquals(1, gnRow.longer().n());
        assertFalse(gnRow.interval().defined());
        assertEquals("yes", gnRow.within(0.03));   // |0.61 - 0.61| = 0
        assertEquals("—", gnRow.intervalWithin(0.03)); // but no interval to support it
        assertFalse(gnRow.test().defined());

        Reports.write(r, tmp.resolve("report"));
        String md = Files.readString(tmp.resolve("report/report.md"));
        assertTrue(md.contains("| norm.name | budget | 2× budget | 2× − budget | Welch 95% CI | p (Holm) | CI within ±0.03 | within 0.03 |"), md);
        // one defined cell: Holm over a family of 1 leaves p as it is
        assertTrue(md.contains(String.format(java.util.Locale.ROOT,
                "| bn | 0.7200 ± 0.0200 (n=3) | 0.7700 ± 0.0200 (n=3) | +0.0500 | [%+.4f, %+.4f] | %s (%s) | no | no |", 0.05 - half,
                0.05 + half, DoseSlopes.p(p), DoseSlopes.p(p))), md);
        assertTrue(md.contains("| gn | 0.6100 ± 0.0141 (n=2) | 0.6100 ± — (n=1) of 2 planned | +0.0000 | undefined: needs n >= 2 on both sides (n = 1 vs 2) | — | — | yes |"), md);
        assertTrue(md.contains("Holm-adjusted over the table's 1 cell with a p"), md);
        assertFalse(md.contains("| iebn | 0.8"), "iebn is not checked");
    }
}

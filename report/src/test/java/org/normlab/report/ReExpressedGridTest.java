package org.normlab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.normlab.report.SweepFixture.history;
import static org.normlab.report.SweepFixture.metrics;
import static org.normlab.report.SweepFixture.swept;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trials that ran under one grid (a named axis {@code variant}) and are reused, same ids, by the
 * same sweep re-expressed as {@code norm.name × attack.name} with an {@code exclude}: the report
 * groups and labels them by the current plan (trials.json, sweep.yaml), not by the labels their
 * result.json files recorded.
 */
class ReExpressedGridTest {

    @TempDir Path tmp;

    /** variant → (norm.name, attack.name); gn under constant is excluded in the new grid. */
    private static final Map<String, List<String>> VARIANTS = new LinkedHashMap<>();

    static {
        VARIANTS.put("bn", List.of("bn", "none"));
        VARIANTS.put("iebn", List.of("iebn", "none"));
        VARIANTS.put("gn", List.of("gn", "none"));
        VARIANTS.put("bn_constant", List.of("bn", "constant"));
        VARIANTS.put("iebn_constant", List.of("iebn", "constant"));
    }

    /** final_val_acc: bn 0.80, iebn 0.78, gn 0.74, minus 0.10 under the attack, + 0.02 for seed 2. */
    private static double accuracy(String norm, String attack, int seed) {
        double base = Map.of("bn", 0.80, "iebn", 0.78, "gn", 0.74).get(norm);
        return base - (attack.equals("constant") ? 0.10 : 0) + 0.02 * (seed - 1);
    }

    private void writeReExpressed() {
        SweepFixture f = new SweepFixture(tmp, "noise").base("attack.name", "none");
        // The results as the first grid recorded them: swept {variant: ...}.
        VARIANTS.forEach((variant, normAttack) -> {
            for (int seed = 1; seed <= 2; seed++) {
                double acc = accuracy(normAttack.get(0), normAttack.get(1), seed);
                f.result(variant + "-" + seed, seed, swept("variant", variant),
                        swept("norm.name", normAttack.get(0), "attack.name", normAttack.get(1)), "completed",
                        metrics(acc, acc, 0.9, 0.5, 1000, 600), history(3, acc, 0.0));
            }
        });
        // The current plan: the same trials (same ids) by norm.name x attack.name.
        VARIANTS.forEach((variant, normAttack) -> {
            for (int seed = 1; seed <= 2; seed++) {
                f.plan(variant + "-" + seed, seed, swept("norm.name", normAttack.get(0), "attack.name", normAttack.get(1)));
            }
        });
        f.sweepKey("exclude", List.of(Map.of("norm.name", "gn", "attack.name", "constant")));
        f.writePlan(Map.of("norm.name", List.of("bn", "iebn", "gn"), "attack.name", List.of("none", "constant")),
                List.of(1, 2));
    }

    @Test
    void theCurrentPlanGroupsAndLabelsTheReusedTrials() throws Exception {
        writeReExpressed();
        Report report = Reports.build(List.of(tmp));
        assertEquals(List.of("norm.name", "attack.name"), report.data().sweptKeys(), "no stale 'variant' key");
        assertEquals(5, report.rows().size(), "one row per planned group: " + report.rows());
        for (GroupRow row : report.rows()) {
            assertEquals(2, row.completed(), row.settings() + " completed");
            assertEquals(0, row.missing(), row.settings() + " missing");
        }
        assertEquals(10, report.completed());
        assertEquals(0, report.missing());
        assertEquals(List.of(), report.data().unplanned());
        assertTrue(report.data().warnings().stream().anyMatch(w -> w.startsWith("10 result(s) ran under other grid settings")),
                report.data().warnings().toString());
        assertEquals(List.of("bn", "iebn", "gn", "bn", "iebn"), report.rows().stream().map(r -> r.norm().label()).toList());
        GroupRow bnAttacked = report.rows().get(3);
        assertEquals("constant", Settings.display(bnAttacked.settings().get("attack.name")));
        assertEquals(0.71, bnAttacked.summary(Metric.FINAL_VAL_ACC).mean(), 1e-9, "bn under the attack: 0.70 and 0.72");

        // Within each attack, every norm against bn: iebn − bn and gn − bn without it, iebn − bn under it.
        List<String> labels = report.comparisons().stream()
                .map(c -> c.label() + " @ " + c.context().label(report.data().sweptKeys())).toList();
        assertEquals(List.of("iebn − bn @ attack.name=none", "gn − bn @ attack.name=none", "iebn − bn @ attack.name=constant"), labels);
        for (NormComparison c : report.comparisons()) {
            assertTrue(c.reference() != null, c.label() + " has its reference");
        }
        assertEquals(-0.02, report.comparisons().get(2).interval().difference(), 1e-9, "iebn − bn under the attack");

        Path out = Reports.write(List.of(tmp), tmp.resolve("report"));
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(!md.contains("| bn_constant |") && !md.contains("variant=") && !md.contains("`variant`"), md);
        assertTrue(!md.contains("no reference row"), md);
    }
}

package org.normlab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.normlab.report.SweepFixture.history;
import static org.normlab.report.SweepFixture.metrics;
import static org.normlab.report.SweepFixture.swept;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A noise-attack sweep: the wrapper norm {@code const_noise} is fixed in the base config, its
 * {@code inner} norm and attack strength {@code a} are swept, on a mixed dataset. Run with
 * {@code -Dreport.sample.dir=DIR} to keep the report.
 */
class WrapperNormTest {

    @TempDir Path tmp;

    private void writeSweep() {
        SweepFixture f = new SweepFixture(tmp, "noise").base("norm.name", "const_noise").base("data.name", "mix");
        List<Double> strengths = List.of(1.0, 1.5, 2.0);
        for (String inner : List.of("bn", "iebn")) {
            for (double a : strengths) {
                for (int seed = 1; seed <= 2; seed++) {
                    f.plan(inner + a + "-" + seed, seed, swept("norm.options.inner", inner, "norm.options.a", a));
                }
            }
        }
        f.writePlan(Map.of("norm.options.inner", List.of("bn", "iebn"), "norm.options.a", List.<Object>copyOf(strengths)),
                List.of(1, 2));
        for (String inner : List.of("bn", "iebn")) {
            for (double a : strengths) {
                for (int seed = 1; seed <= 2; seed++) {
                    // a = 1.0: bn 0.80, 0.82; iebn 0.84, 0.86. Higher a hurts bn more than iebn.
                    double acc = (inner.equals("bn") ? 0.80 - 0.10 * (a - 1) : 0.84 - 0.04 * (a - 1)) + 0.02 * (seed - 1);
                    Map<String, Object> m = metrics(acc, acc + 0.01, acc + 0.05, 1 - acc, inner.equals("bn") ? 1000 : 1032, 500);
                    m.put("val_acc_by_component", Map.of("fashion-mnist", 0.88 + 0.02 * seed, "inverted", 0.66 + 0.04 * seed));
                    f.result(inner + a + "-" + seed, seed, swept("norm.options.inner", inner, "norm.options.a", a),
                            "completed", m, history(6, acc, 0.01 * seed));
                }
            }
        }
    }

    @Test
    void wrappersAreComparedWithTheSameAttackOnBn() {
        writeSweep();
        Report report = Reports.build(List.of(tmp));
        assertEquals(3, report.comparisons().size(), "one per attack strength");
        NormComparison at1 = report.comparisons().get(0);
        assertEquals("const_noise(iebn) − const_noise(bn)", at1.label());
        assertEquals("norm.options.a=1.0", at1.context().label(report.data().sweptKeys()));
        // Both sides: two values 0.02 apart, variance 2e-4, so se = sqrt(2e-4) and df = 2 exactly.
        WelchInterval ci = at1.interval();
        assertEquals(0.04, ci.difference(), 1e-12);
        assertEquals(2.0, ci.df(), 1e-12);
        double half = 4.302652729749462 * Math.sqrt(2e-4); // t(0.975, 2) = 4.3027 from the tables
        assertEquals(0.04 - half, ci.lower(), 1e-9);
        assertEquals(0.04 + half, ci.upper(), 1e-9);
    }

    @Test
    void mixedDatasetComponentsGetTheirOwnColumns() throws Exception {
        writeSweep();
        Report report = Reports.build(List.of(tmp));
        assertEquals(List.of("val_acc.fashion-mnist", "val_acc.inverted"),
                report.metrics().stream().filter(Metric::isComponent).map(Metric::name).toList());
        GroupRow row = report.rows().get(0);
        Summary inverted = row.summary(Metric.component("inverted"));
        assertEquals(0.72, inverted.mean(), 1e-12);
        assertEquals(Math.sqrt(8e-4), inverted.std(), 1e-12);
        assertEquals(0.91, row.summary(Metric.component("fashion-mnist")).mean(), 1e-12);

        String sample = System.getProperty("report.sample.dir");
        Path dir = Reports.write(report, sample != null ? Path.of(sample + "-noise") : null);
        assertTrue(Files.isRegularFile(dir.resolve("accuracy_vs_norm_options_a.png")), "accuracy against attack strength");
        String md = Files.readString(dir.resolve("report.md"));
        assertTrue(md.contains("val acc [inverted]") && md.contains("0.7200 ± 0.0283"), md);
        assertTrue(md.contains("const_noise(iebn) − const_noise(bn)"), md);
    }
}

package org.normlab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.normlab.report.SweepFixture.history;
import static org.normlab.report.SweepFixture.metrics;
import static org.normlab.report.SweepFixture.swept;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two variants of one norm (gn with 8 and with 16 groups) next to bn: two labels, two colours and
 * two Welch comparisons against bn, whether the variants come from a named axis or a
 * {@code norm.options.*} axis.
 */
class NormVariantsTest {

    @TempDir Path tmp;

    private static final double[] BN = {0.80, 0.82, 0.84};     // mean 0.82, std 0.02
    private static final double[] GN8 = {0.70, 0.74, 0.72};    // mean 0.72, std 0.02
    private static final double[] GN16 = {0.85, 0.86, 0.90};   // mean 0.87, std sqrt(7e-4)

    /** grid: norm: {bn: {norm.name: bn}, gn8: {norm.name: gn, norm.options: {groups: 8}}, gn16: ...} */
    private void namedAxis() {
        SweepFixture f = new SweepFixture(tmp, "variants");
        Map<String, Object> axis = new LinkedHashMap<>();
        axis.put("bn", Map.of("norm.name", "bn"));
        axis.put("gn8", Map.of("norm.name", "gn", "norm.options", Map.of("groups", 8)));
        axis.put("gn16", Map.of("norm.name", "gn", "norm.options", Map.of("groups", 16)));
        Map<String, Map<String, Object>> settings = Map.of(
                "bn", swept("norm.name", "bn"),
                "gn8", swept("norm.name", "gn", "norm.options", Map.of("groups", 8)),
                "gn16", swept("norm.name", "gn", "norm.options", Map.of("groups", 16)));
        Map<String, double[]> acc = Map.of("bn", BN, "gn8", GN8, "gn16", GN16);
        for (String v : axis.keySet()) {
            for (int s = 1; s <= 3; s++) {
                f.plan(v + "-" + s, s, swept("norm", v));
            }
        }
        f.writePlan(Map.of("norm", axis), List.of(1, 2, 3));
        for (String v : axis.keySet()) {
            for (int s = 1; s <= 3; s++) {
                double a = acc.get(v)[s - 1];
                f.result(v + "-" + s, s, swept("norm", v), settings.get(v), "completed",
                        metrics(a, a, 0.9, 0.5, 1000, 600), history(3, a, 0.01 * s));
            }
        }
    }

    @Test
    void aNamedAxisGivesEachVariantItsLabelColourAndWelchComparison() throws Exception {
        namedAxis();
        Report report = Reports.build(List.of(tmp));
        assertEquals(List.of("bn", "gn8", "gn16"), report.rows().stream().map(r -> r.norm().label()).toList());
        assertEquals(List.of("bn", "gn", "gn"), report.rows().stream().map(r -> r.norm().name()).toList());
        Map<String, java.awt.Color> colors = Charts.colors(report);
        assertEquals(List.of("bn", "gn8", "gn16"), List.copyOf(colors.keySet()));
        assertEquals(3, new HashSet<>(colors.values()).size(), "a colour per variant");

        assertEquals(2, report.comparisons().size());
        NormComparison gn8 = report.comparisons().get(0);
        assertEquals("gn8 − bn", gn8.label());
        // Welch by hand: equal variances 0.02² and n = 3, so df = 4, t(0.975, 4) = 2.7764451,
        // se = sqrt(2 * 0.0004 / 3).
        double half = 2.7764451 * Math.sqrt(2 * 0.0004 / 3);
        assertEquals(-0.10, gn8.interval().difference(), 1e-12);
        assertEquals(4.0, gn8.interval().df(), 1e-9);
        assertEquals(-0.10 - half, gn8.interval().lower(), 1e-6);
        assertEquals(-0.10 + half, gn8.interval().upper(), 1e-6);
        NormComparison gn16 = report.comparisons().get(1);
        assertEquals("gn16 − bn", gn16.label());
        assertEquals(0.05, gn16.interval().difference(), 1e-12);
        // Welch–Satterthwaite: (a + b)² / (a²/2 + b²/2) with a = 0.0007/3, b = 0.0004/3.
        double a = 0.0007 / 3, b = 0.0004 / 3;
        assertEquals((a + b) * (a + b) / (a * a / 2 + b * b / 2), gn16.interval().df(), 1e-9);

        Path out = Reports.write(List.of(tmp), tmp.resolve("report"));
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("| gn8 − bn |") && md.contains("| gn16 − bn |"), md);
        assertTrue(!md.contains("is not swept"), md);
        assertTrue(Files.isRegularFile(out.resolve("accuracy_by_norm.png")));
        String csv = Files.readString(out.resolve("summary.csv"));
        assertTrue(csv.contains("gn8") && csv.contains("gn16"), csv);
        // The named axis is called norm, so the label column is norm_label: no two columns share a name.
        assertEquals("norm,norm_label,planned,completed", String.join(",", java.util.Arrays.copyOf(csv.lines().findFirst().orElseThrow().split(","), 4)));
    }

    @Test
    void anOptionAxisLabelsTheNormWithItsOption() {
        SweepFixture f = new SweepFixture(tmp, "options");
        for (int groups : List.of(8, 16)) {
            for (int s = 1; s <= 2; s++) {
                f.plan("gn" + groups + "-" + s, s, swept("norm.options.groups", groups));
            }
        }
        f.base("norm.name", "gn").writePlan(Map.of("norm.options.groups", List.of(8, 16)), List.of(1, 2));
        for (int groups : List.of(8, 16)) {
            for (int s = 1; s <= 2; s++) {
                f.result("gn" + groups + "-" + s, s, swept("norm.options.groups", groups), "completed",
                        metrics(0.7 + groups / 100.0 + s / 100.0, 0.8, 0.9, 0.5, 1000, 600), history(3, 0.7, 0.01));
            }
        }
        Report report = Reports.build(List.of(tmp));
        assertEquals(List.of("gn(groups=8)", "gn(groups=16)"), report.rows().stream().map(r -> r.norm().label()).toList());
        assertEquals(2, new HashSet<>(Charts.colors(report).values()).size());
        // No bn row: each variant is listed without a reference.
        assertEquals(2, report.comparisons().size());
        assertEquals("gn(groups=8) − (no bn in this group)", report.comparisons().get(0).label());
    }
}

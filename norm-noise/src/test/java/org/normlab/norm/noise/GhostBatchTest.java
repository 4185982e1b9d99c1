package org.normlab.norm.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.normlab.norm.noise.BatchNormReference.assertClose;
import static org.normlab.norm.noise.BatchNormReference.concat;
import static org.normlab.norm.noise.BatchNormReference.filled;
import static org.normlab.norm.noise.BatchNormReference.samples;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.normlab.norm.NormConfigException;
import org.normlab.norm.NormRegistry;
import org.normlab.norm.conformance.ConformanceKit;
import org.normlab.norm.conformance.ConformanceReport;
import org.normlab.norm.conformance.ReferenceFixture;
import org.normlab.norm.conformance.Tolerance;
import org.normlab.norm.testing.Fixtures;

class GhostBatchTest {

    private final NormRegistry registry = NormRegistry.load();

    @Test
    void oneVirtualBatchIsBn() {
        ConformanceReport report = ConformanceKit.check(
                registry, "ghost", Map.of("size", 4), Fixtures.load("bn"), Tolerance.DEFAULT);
        assertTrue(report.passed(), report::format);
        assertEquals(7, report.checks().size(), report::format);
    }

    @Test
    void oneVirtualBatchIsIebn() {
        ConformanceReport report = ConformanceKit.check(
                registry, "ghost", Map.of("size", 4, "inner", "iebn"), Fixtures.load("iebn"), Tolerance.DEFAULT);
        assertTrue(report.passed(), report::format);
        assertEquals(9, report.checks().size(), report::format);
    }

    @Test
    void twoVirtualBatchesAreNotBn() {
        ConformanceReport report = ConformanceKit.check(
                registry, "ghost", Map.of("size", 2), Fixtures.load("bn"), Tolerance.DEFAULT);
        assertFalse(report.passed(), report::format);
        assertTrue(report.failures().stream().anyMatch(c -> c.quantity().equals("train.y")), report::format);
    }

    @Test
    void halvesAreNormalizedSeparately() {
        checkChunks(2, 2);
    }

    @Test
    void anUnevenBatchEndsWithASmallerVirtualBatch() {
        checkChunks(3, 3);
    }

    @Test
    void sizeMustBePositive() {
        NormConfigException e =
                assertThrows(NormConfigException.class, () -> registry.factory("ghost", Map.of("size", 0)));
        assertTrue(e.getMessage().contains("size") && e.getMessage().contains("an integer in [1,"), e.getMessage());
    }

    /** Ghost with {@code size} on the 4-sample fixture = BN on samples [0, cut) and [cut, 4) by hand. */
    private void checkChunks(int size, int cut) {
        ReferenceFixture f = Fixtures.load("bn");
        long[] shape = f.shape();
        double[] gamma = f.parameters().get("gamma");
        double[] beta = f.parameters().get("beta");
        BatchNormReference.Step first = BatchNormReference.train(
                samples(f.input("x"), shape, 0, cut), new long[] {cut, 3, 25}, gamma, beta,
                samples(f.input("upstream_grad"), shape, 0, cut), filled(3, 1), filled(3, 0), 1e-5);
        BatchNormReference.Step second = BatchNormReference.train(
                samples(f.input("x"), shape, cut, 4), new long[] {4 - cut, 3, 25}, gamma, beta,
                samples(f.input("upstream_grad"), shape, cut, 4), filled(3, 1), filled(3, 0), 1e-5);
        // Running statistics: one update per virtual batch, in order.
        double[][] afterFirst = BatchNormReference.updateRunning(
                f.input("running_mean_before"), f.input("running_var_before"), first, cut * 25L, 0.1);
        double[][] afterBoth = BatchNormReference.updateRunning(afterFirst[0], afterFirst[1], second, (4 - cut) * 25L, 0.1);

        try (LayerRun run = LayerRun.of(registry, "ghost", Map.of("size", size), f)) {
            LayerRun.Train actual = run.train();
            assertClose("y", concat(first.y(), second.y()), actual.y());
            assertClose("grad_x", concat(first.gradX(), second.gradX()), actual.gradX());
            assertClose("grad_gamma", sum(first.gradGamma(), second.gradGamma()), actual.paramGrads().get("gamma"));
            assertClose("grad_beta", sum(first.gradBeta(), second.gradBeta()), actual.paramGrads().get("beta"));
            assertClose("running_mean", afterBoth[0], actual.runningMean());
            assertClose("running_var", afterBoth[1], actual.runningVar());
            assertClose("eval.y", f.eval().get("y"), run.eval());
        }
    }

    private static double[] sum(double[] p, double[] q) {
        double[] s = new double[p.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = p[i] + q[i];
        }
        return s;
    }
}

package org.normlab.norm.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.normlab.norm.noise.BatchNormReference.assertClose;
import static org.normlab.norm.noise.BatchNormReference.filled;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.normlab.norm.NormRegistry;
import org.normlab.norm.conformance.ConformanceKit;
import org.normlab.norm.conformance.ConformanceReport;
import org.normlab.norm.conformance.ReferenceFixture;
import org.normlab.norm.conformance.Tolerance;
import org.normlab.norm.testing.Fixtures;

class ConstantNoiseTest {

    private static final double EPS = 1e-5;
    private static final double MOMENTUM = 0.1;

    private final NormRegistry registry = NormRegistry.load();

    @Test
    void neutralAttackReproducesBn() {
        ConformanceReport report = ConformanceKit.check(
                registry, "constant", Map.of("inner", "bn", "a", 1, "b", 0), Fixtures.load("bn"), Tolerance.DEFAULT);
        assertTrue(report.passed(), report::format);
        assertEquals(7, report.checks().size(), report::format);
    }

    @Test
    void neutralAttackReproducesIebn() {
        ConformanceReport report = ConformanceKit.check(
                registry, "constant", Map.of("inner", "iebn", "a", 1, "b", 0), Fixtures.load("iebn"), Tolerance.DEFAULT);
        assertTrue(report.passed(), report::format);
        assertEquals(9, report.checks().size(), report::format);
    }

    @Test
    void theKitSeesARealAttackInTrainingOnly() {
        ConformanceReport report = ConformanceKit.check(
                registry, "constant", Map.of("a", 1.7, "b", -0.3), Fixtures.load("bn"), Tolerance.DEFAULT);
        List<String> failed = report.failures().stream().map(c -> c.quantity()).toList();
        // Running statistics are the clean batch ones and eval is not attacked by default.
        assertEquals(List.of("train.y", "train.grad_x", "train.grad_gamma"), failed, report::format);
    }

    @Test
    void trainingFollowsTheFormulaWithGradients() {
        double a = 1.7;
        double b = -0.3;
        ReferenceFixture f = Fixtures.load("bn");
        BatchNormReference.Step expected = BatchNormReference.train(
                f.input("x"), f.shape(), f.parameters().get("gamma"), f.parameters().get("beta"),
                f.input("upstream_grad"), filled(3, a), filled(3, b), EPS);
        double[][] running = BatchNormReference.updateRunning(
                f.input("running_mean_before"), f.input("running_var_before"), expected, 100, MOMENTUM);
        try (LayerRun run = LayerRun.of(registry, "constant", Map.of("a", a, "b", b), f)) {
            LayerRun.Train actual = run.train();
            assertClose("y", expected.y(), actual.y());
            assertClose("grad_x", expected.gradX(), actual.gradX());
            assertClose("grad_gamma", expected.gradGamma(), actual.paramGrads().get("gamma"));
            assertClose("grad_beta", expected.gradBeta(), actual.paramGrads().get("beta"));
            assertClose("running_mean", running[0], actual.runningMean());
            assertClose("running_var", running[1], actual.runningVar());
            // eval=false: eval is the wrapped norm's own (PyTorch's reference value).
            assertClose("eval.y", f.eval().get("y"), run.eval());
        }
    }

    @Test
    void evalTrueAttacksEvalWithRunningStatistics() {
        double a = 1.7;
        double b = -0.3;
        ReferenceFixture f = Fixtures.load("bn");
        double[] x = f.input("x");
        double[] mean = f.input("running_mean_before");
        double[] var = f.input("running_var_before");
        double[] gamma = f.parameters().get("gamma");
        double[] beta = f.parameters().get("beta");
        double[] expected = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            int c = (i / 25) % 3;
            double xHat = (x[i] - mean[c]) / Math.sqrt(var[c] + EPS);
            expected[i] = (a * xHat + b) * gamma[c] + beta[c];
        }
        try (LayerRun run = LayerRun.of(registry, "constant", Map.of("a", a, "b", b, "eval", true), f)) {
            assertClose("eval.y", expected, run.eval());
        }
    }
}

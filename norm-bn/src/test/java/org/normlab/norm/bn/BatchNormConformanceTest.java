package org.normlab.norm.bn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.normlab.norm.NormRegistry;
import org.normlab.norm.conformance.ConformanceKit;
import org.normlab.norm.conformance.ConformanceReport;
import org.normlab.norm.conformance.Tolerance;
import org.normlab.norm.testing.Fixtures;

class BatchNormConformanceTest {

    private final NormRegistry registry = NormRegistry.load();

    @Test
    void matchesPyTorchInTrainAndEval() {
        ConformanceReport report = ConformanceKit.check(registry, "bn", Fixtures.load("bn"));
        assertTrue(report.passed(), report::format);
        // train.y, grad_x, grad_gamma, grad_beta, both running stats, eval.y
        assertEquals(7, report.checks().size(), report::format);
    }

    @Test
    void matchesTheGeneratorsFixtureOnAnOddShape() {
        // bench/make_fixtures.sh: BatchNorm2d(5) on 2x5x3x7.
        ConformanceReport report = ConformanceKit.check(registry, "bn", Fixtures.load("bn-2x5x3x7"));
        assertTrue(report.passed(), report::format);
        // init.gamma and init.beta (the generator records the fresh parameters), then the seven above
        assertEquals(9, report.checks().size(), report::format);
    }

    @Test
    void theCheckFailsWhenTheMomentumConventionIsWrong() {
        // DJL's own convention (0.9) in place of PyTorch's (0.1) must show up as a failure.
        ConformanceReport report = ConformanceKit.check(
                registry, "bn", Map.of("momentum", 0.9), Fixtures.load("bn"), Tolerance.DEFAULT);
        assertEquals(
                java.util.List.of("train.running_mean_after", "train.running_var_after"),
                report.failures().stream().map(c -> c.quantity()).toList(),
                report::format);
    }
}

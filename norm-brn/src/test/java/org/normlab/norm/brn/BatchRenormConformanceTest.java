package org.normlab.norm.brn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.normlab.norm.conformance.ReferenceFixture;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.normlab.norm.NormConfigException;
import org.normlab.norm.NormRegistry;
import org.normlab.norm.Standardizable;
import org.normlab.norm.conformance.ConformanceKit;
import org.normlab.norm.conformance.ConformanceReport;
import org.normlab.norm.conformance.QuantityCheck;
import org.normlab.norm.conformance.Tolerance;
import org.normlab.norm.testing.Fixtures;

/** brn against bench/make_fixture.py's BatchRenorm2d, clipped and unclipped. */
class BatchRenormConformanceTest {

    private final NormRegistry registry = NormRegistry.load();

    @ParameterizedTest
    @ValueSource(strings = {"brn-clipped-4x4x5x5", "brn-2x3x7x3"})
    void matchesPyTorchInTrainAndEval(String fixture) {
        ReferenceFixture f = Fixtures.load(fixture);
        ConformanceReport report = ConformanceKit.check(registry, "brn", f);
        assertTrue(report.passed(), report::format);
        // init.gamma and init.beta, y, grad_x, grad_gamma, grad_beta, running mean and var, eval y
        assertEquals(2, f.init().size());
        assertEquals(7 + f.init().size(), report.checks().size(), report::format);
    }

    @Test
    void bnIsNotBrn() {
        // With r and d away from 1 and 0, bn's output and gradients differ; running stats and
        // grad_beta (the summed upstream gradient) agree.
        ConformanceReport report = ConformanceKit.check(registry, "bn", Fixtures.load("brn-2x3x7x3"));
        assertEquals(List.of("train.y", "train.grad_x", "train.grad_gamma"),
                report.failures().stream().map(QuantityCheck::quantity).toList(), report::format);
    }

    @Test
    void theClippingLimitsMatter() {
        // The clipped fixture checked with the default, wider limits fails in training.
        ConformanceReport report = ConformanceKit.check(
                registry, "brn", Map.of("r_max", 3.0, "d_max", 5.0), Fixtures.load("brn-clipped-4x4x5x5"), Tolerance.DEFAULT);
        assertTrue(report.failures().stream().anyMatch(c -> c.quantity().equals("train.y")), report::format);
    }

    @Test
    void withoutRoomItIsBn() {
        ConformanceReport report = ConformanceKit.check(
                registry, "brn", Map.of("r_max", 1.0, "d_max", 0.0), Fixtures.load("bn"), Tolerance.DEFAULT);
        assertTrue(report.passed(), report::format);
    }

    @Test
    void itIsAttackable() {
        assertInstanceOf(Standardizable.class, registry.factory("brn", Map.of()).create(8));
        // A noise wrapper builds it with its defaults; constant noise a=1, b=0 leaves it as it is.
        ConformanceReport report = ConformanceKit.check(
                registry, "constant", Map.of("inner", "brn", "a", 1.0, "b", 0.0), Fixtures.load("brn-2x3x7x3"),
                Tolerance.DEFAULT);
        assertTrue(report.passed(), report::format);
    }

    @Test
    void optionsAreValidated() {
        NormConfigException e = assertThrows(NormConfigException.class, () -> registry.factory("brn", Map.of("r_max", 0.5)));
        assertEquals("norm 'brn': option 'r_max' has value '0.5', but it must be a number in [1, 1000000]", e.getMessage());
        assertThrows(NormConfigException.class, () -> registry.factory("brn", Map.of("d_max", -1)));
        assertThrows(NormConfigException.class, () -> registry.factory("brn", Map.of("momentum", 2)));
    }
}

package org.normlab.norm.iebn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.normlab.norm.NormConfigException;
import org.normlab.norm.NormRegistry;
import org.normlab.norm.conformance.ConformanceKit;
import org.normlab.norm.conformance.ConformanceReport;
import org.normlab.norm.conformance.Tolerance;
import org.normlab.norm.testing.Fixtures;

/** iebn with {@code gate: fixed}: the gate frozen at w = 0, b = -1, out of training. */
class FixedGateTest {

    private final NormRegistry registry = NormRegistry.load();

    @Test
    void matchesPyTorchBatchNormWithGammaScaledBySigmoidOfMinusOne() {
        // bench/derive_iebn_fixed_fixture.py from the BatchNorm2d(5) fixture on 2x5x3x7.
        ConformanceReport report = ConformanceKit.check(registry, "iebn", Fixtures.load("iebn-fixed-2x5x3x7"));
        assertTrue(report.passed(), report::format);
        // y, grad_x, grad of gamma, beta, weight_readjust, bias_readjust, 2 running stats, eval y
        assertEquals(9, report.checks().size(), report::format);
    }

    @Test
    void theAdaptiveGateFailsTheFixedFixtureOnlyOnTheGatesGradients() {
        // The same forward values, but the trained gate has gradients where the frozen one has none:
        // the kit compares them, it does not skip them.
        ConformanceReport report = ConformanceKit.check(registry, "iebn", Map.of("gate", "adaptive"),
                Fixtures.load("iebn-fixed-2x5x3x7"), Tolerance.DEFAULT);
        assertEquals(List.of("train.grad_weight_readjust", "train.grad_bias_readjust"),
                report.failures().stream().map(c -> c.quantity()).toList(), report::format);
    }

    @Test
    void theFixedGateFailsTheAdaptiveFixtureOnlyOnTheGatesGradients() {
        // The PyTorch iebn fixture trains w and b: a frozen gate must not pass it.
        ConformanceReport report = ConformanceKit.check(registry, "iebn", Map.of("gate", "fixed"),
                Fixtures.load("iebn"), Tolerance.DEFAULT);
        assertEquals(List.of("train.grad_weight_readjust", "train.grad_bias_readjust"),
                report.failures().stream().map(c -> c.quantity()).toList(), report::format);
    }

    @Test
    void theGateParametersNeedNoGradientAndGetNone() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block iebn = registry.factory("iebn", Map.of("gate", "fixed")).create(3);
            Shape shape = new Shape(4, 3, 5, 5);
            iebn.initialize(manager, DataType.FLOAT32, shape);
            Map<String, Parameter> params = new java.util.HashMap<>();
            iebn.getParameters().forEach(p -> params.put(p.getValue().getName(), p.getValue()));
            assertFalse(params.get("weightReadjust").requiresGradient());
            assertFalse(params.get("biasReadjust").requiresGradient());
            assertTrue(params.get("gamma").requiresGradient());
            assertTrue(params.get("beta").requiresGradient());
            NDArray x = manager.randomNormal(shape).mul(2).add(1);
            ParameterStore store = new ParameterStore(manager, false);
            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                NDArray y = iebn.forward(store, new NDList(x), true).singletonOrThrow();
                collector.backward(y.mul(y).sum());
            }
            assertFalse(params.get("weightReadjust").getArray().hasGradient());
            assertFalse(params.get("biasReadjust").getArray().hasGradient());
            assertTrue(params.get("gamma").getArray().getGradient().abs().sum().getFloat() > 0);
            assertArrayEquals(new float[] {0, 0, 0}, params.get("weightReadjust").getArray().toFloatArray());
            assertArrayEquals(new float[] {-1, -1, -1}, params.get("biasReadjust").getArray().toFloatArray());
        }
    }

    @Test
    void theDefaultGateIsAdaptiveAndTrained() {
        assertEquals("adaptive", registry.provider("iebn").options().stream()
                .filter(o -> o.name().equals("gate")).findFirst().orElseThrow().defaultValue());
        try (NDManager manager = NDManager.newBaseManager()) {
            Block iebn = registry.factory("iebn", Map.of()).create(3);
            iebn.initialize(manager, DataType.FLOAT32, new Shape(2, 3, 4, 4));
            long trained = iebn.getParameters().values().stream().filter(Parameter::requiresGradient).count();
            assertEquals(4, trained); // gamma, beta, weightReadjust, biasReadjust
        }
    }

    @Test
    void anUnknownGateIsAnErrorNamingTheChoices() {
        NormConfigException e = assertThrows(NormConfigException.class,
                () -> registry.factory("iebn", Map.of("gate", "frozen")));
        assertTrue(e.getMessage().contains("gate") && e.getMessage().contains("adaptive, fixed"), e.getMessage());
    }
}

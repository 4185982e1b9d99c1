package org.normlab.norm.iebn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.normlab.norm.NormRegistry;
import org.normlab.norm.RunningStats;
import org.normlab.norm.Standardizer;
import org.normlab.norm.conformance.ConformanceKit;
import org.normlab.norm.conformance.ConformanceReport;
import org.normlab.norm.testing.Fixtures;

class IebnConformanceTest {

    private final NormRegistry registry = NormRegistry.load();

    @Test
    void matchesPyTorchInTrainAndEval() {
        ConformanceReport report = ConformanceKit.check(registry, "iebn", Fixtures.load("iebn"));
        assertTrue(report.passed(), report::format);
        // y, grad_x, 4 parameter gradients, 2 running stats, eval y
        assertEquals(9, report.checks().size(), report::format);
    }

    @Test
    void theKitRefusesAFixtureWithoutTheGateParameters() {
        // The bn fixture has no weight_readjust: the kit must refuse, not pass vacuously.
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> ConformanceKit.check(registry, "iebn", Fixtures.load("bn")));
        assertTrue(e.getMessage().contains("weight_readjust"), e.getMessage());
    }

    @Test
    void startsWithGateSigmoidOfMinusOne() {
        // With w = 0, b = -1, gamma = 1, beta = 0 the output is x_hat * sigmoid(-1).
        try (NDManager manager = NDManager.newBaseManager()) {
            Block iebn = registry.factory("iebn", Map.of()).create(3);
            Shape shape = new Shape(4, 3, 5, 5);
            iebn.initialize(manager, DataType.FLOAT32, shape);
            NDArray x = manager.randomNormal(shape).mul(2).add(1);
            ParameterStore store = new ParameterStore(manager, false);
            NDArray gated = iebn.forward(store, new NDList(x), true).singletonOrThrow();
            RunningStats stats = new RunningStats(manager.zeros(new Shape(3)), manager.ones(new Shape(3)), 1e-5f, 0.1f);
            NDArray xHat = Standardizer.BATCH.standardize(x, stats, true);
            float gate = (float) (1 / (1 + Math.exp(1)));
            assertTrue(gated.allClose(xHat.mul(gate), 1e-5, 1e-6, false));
        }
    }
}

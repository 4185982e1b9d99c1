package org.normlab.norm.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.normlab.norm.NormRegistry;
import org.normlab.norm.testing.NativeChurn;

/**
 * The attack's factor must survive a garbage collection between forward and backward: DJL's
 * mul(Number) frees its temporary scalar at once while autograd still reads it (found when the
 * constant attack gave grad_x[0] = 0.126 instead of 2.74 after a GC).
 */
class ConstantNoiseGcTest {

    @Test
    void gradientsDoNotChangeWhenMemoryIsCollectedBetweenForwardAndBackward() {
        float[] quiet = gradient(false);
        float[] churned = gradient(true);
        assertArrayEquals(quiet, churned, 0f);
    }

    private static float[] gradient(boolean churn) {
        NormRegistry registry = NormRegistry.load();
        Block block = registry.factory("constant", Map.of("inner", "bn", "a", 1.7, "b", -0.3)).create(3);
        try (NDManager manager = NDManager.newBaseManager()) {
            Shape shape = new Shape(4, 3, 5, 5);
            block.initialize(manager, DataType.FLOAT32, shape);
            float[] values = new float[(int) shape.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) Math.sin(i * 0.37) * 2 + 0.5f;
            }
            NDArray x = manager.create(values, shape);
            x.setRequiresGradient(true);
            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                NDArray y = block.forward(new ParameterStore(manager, false), new NDList(x), true).singletonOrThrow();
                NDArray loss = y.mul(y).sum();
                if (churn) {
                    NativeChurn.churn();
                }
                collector.backward(loss);
            }
            return x.getGradient().toFloatArray();
        }
    }
}

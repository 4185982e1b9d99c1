package org.normlab.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.normlab.models.Models;
import org.normlab.norm.NormFactory;
import org.normlab.norm.NormRegistry;

/** Zeroing gradients clears NaN, so a step skipped for a non-finite loss leaves nothing behind. */
class SgdNanTest {

    private static final Shape SHAPE = new Shape(8, 1, 12, 12);

    @Test
    void stepsAndZeroingClearNanGradients() {
        for (boolean nesterov : new boolean[] {false, true}) {
            try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
                Parameter w = parameter(manager);
                Sgd sgd = new Sgd(List.of(w), 0.9, 5e-4, nesterov);
                backward(w.getArray(), new float[] {1, 2, 3, 4}); // a first, finite step makes the buffers
                sgd.step(0.1f);
                backward(w.getArray(), new float[] {Float.NaN, 1, Float.NaN, 2});
                sgd.zeroGradients(); // what TrainStep does when the loss is not finite
                assertArrayEquals(new float[4], w.getArray().getGradient().toFloatArray(), 0f, "nesterov " + nesterov + ": zeroGradients");
                backward(w.getArray(), new float[] {Float.NaN, 1, 1, 1});
                sgd.step(0.1f);
                assertTrue(Float.isNaN(w.getArray().toFloatArray()[0]), "a NaN gradient that was stepped on reaches w");
                assertArrayEquals(new float[4], w.getArray().getGradient().toFloatArray(), 0f, "nesterov " + nesterov + ": after a step");
                sgd.close();
            }
        }
    }

    @Test
    void aNonFiniteLossLeavesNoGradientForTheNextStep() {
        NormFactory factory = NormRegistry.load().factory("bn", Map.of());
        List<float[]> clean = null;
        for (boolean nanFirst : new boolean[] {false, true}) {
            Block model = Models.build(Models.parse("resnet8", 10, 1), factory, factory);
            Engine.getInstance().setRandomSeed(5);
            try (NDManager manager = NDManager.newBaseManager()) {
                model.initialize(manager, DataType.FLOAT32, SHAPE);
                NDArray x = manager.randomNormal(SHAPE);
                NDArray y = manager.arange(8f);
                // A NaN image makes every gradient NaN; BN's running statistics would keep it, so
                // only the weights are compared, after one clean step.
                try (TrainStep step = new TrainStep(model, manager, new CrossEntropy(0), 0.9, 5e-4, false)) {
                    if (nanFirst) {
                        NDArray bad = manager.full(SHAPE, Float.NaN);
                        assertFalse(Float.isFinite(step.step(bad, y, 0.1f).loss()));
                    }
                    step.step(x, y, 0.1f);
                    List<float[]> weights = new ArrayList<>();
                    model.getParameters().values().forEach(p -> {
                        if (p.requiresGradient()) {
                            weights.add(p.getArray().toFloatArray());
                        }
                    });
                    if (clean == null) {
                        clean = weights;
                    } else {
                        assertEquals(clean.size(), weights.size());
                        for (int i = 0; i < weights.size(); i++) {
                            assertArrayEquals(clean.get(i), weights.get(i), 0f, "trainable parameter " + i);
                        }
                    }
                }
            }
        }
    }

    private static Parameter parameter(NDManager manager) {
        return SgdTest.parameter(manager.create(new float[] {0.5f, -1f, 2f, 0.25f}, new Shape(2, 2)));
    }

    private static void backward(NDArray w, float[] grad) {
        SgdTest.backward(w, grad);
    }
}

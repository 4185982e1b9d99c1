package org.normlab.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.core.Linear;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The observer sees each step's logits, loss and gradients before SGD uses them: with momentum
 * and weight decay 0 the first update is exactly w - lr * g (checked in float64 against the
 * gradient it saw), and the logits it saw are x W^T + b of the weights before the update.
 */
class TrainStepObserverTest {

    @Test
    void seesTheStepBeforeTheUpdate() {
        Block model = Linear.builder().setUnits(3).build();
        Engine.getInstance().setRandomSeed(5);
        try (NDManager manager = NDManager.newBaseManager()) {
            model.initialize(manager, DataType.FLOAT32, new Shape(2, 4));
            NDArray weight = model.getParameters().get("weight").getArray();
            NDArray bias = model.getParameters().get("bias").getArray();
            float[] w = weight.toFloatArray();
            float[] b = bias.toFloatArray();
            float[] xs = {1, -2, 0.5f, 3, -1, 0.25f, 2, -0.5f};
            NDArray x = manager.create(xs, new Shape(2, 4));
            NDArray y = manager.create(new float[] {0, 2});
            List<float[]> seen = new ArrayList<>();
            float lr = 0.5f;
            try (TrainStep step = new TrainStep(model, manager, new CrossEntropy(0), 0, 0, false)) {
                TrainStep.Result r = step.observedBy((logits, loss) -> {
                    seen.add(logits.toFloatArray());
                    seen.add(loss.toFloatArray());
                    seen.add(weight.getGradient().toFloatArray());
                }).step(x, y, lr);
                assertEquals(3, seen.size(), "one call per step");
                assertEquals(r.loss(), seen.get(1)[0], "the step's loss");
            }
            for (int n = 0; n < 2; n++) {
                for (int k = 0; k < 3; k++) {
                    double logit = b[k];
                    for (int i = 0; i < 4; i++) {
                        logit += (double) xs[n * 4 + i] * w[k * 4 + i];
                    }
                    assertEquals(logit, seen.get(0)[n * 3 + k], 1e-5, "logit " + n + "," + k + " of the weights before the update");
                }
            }
            float[] after = weight.toFloatArray();
            float[] expected = new float[w.length];
            for (int i = 0; i < w.length; i++) {
                expected[i] = (float) (w[i] - (double) lr * seen.get(2)[i]);
            }
            assertArrayEquals(expected, after, 1e-6f, "w - lr * the gradient the observer saw");
        }
    }
}

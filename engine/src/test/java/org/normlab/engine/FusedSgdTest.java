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
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.normlab.models.Models;
import org.normlab.norm.NormFactory;
import org.normlab.norm.NormRegistry;

/**
 * The fused SGD step (one TorchScript call over all parameters) computes bit for bit what the
 * per-parameter step computes, and zeroing clears NaN gradients.
 */
class FusedSgdTest {

    private static final Shape SHAPE = new Shape(8, 1, 12, 12);
    private static final float[] LRS = {0.1f, 0.05f, 0.0f, 0.07f};

    @Test
    void fusedStepsEqualPerParameterStepsBitForBit() {
        int cases = 0;
        for (double momentum : new double[] {0, 0.9}) {
            for (double decay : new double[] {0, 5e-4}) {
                for (boolean nesterov : momentum == 0 ? new boolean[] {false} : new boolean[] {false, true}) {
                    String label = "momentum " + momentum + " decay " + decay + " nesterov " + nesterov;
                    List<float[]> perParameter = train("false", momentum, decay, nesterov, label);
                    List<float[]> fused = train("true", momentum, decay, nesterov, label);
                    assertEquals(perParameter.size(), fused.size(), label);
                    for (int i = 0; i < fused.size(); i++) {
                        assertArrayEquals(perParameter.get(i), fused.get(i), 0f, label + ": array " + i);
                    }
                    cases++;
                }
            }
        }
        assertEquals(6, cases);
    }

    /** Parameters then momentum buffers after training ResNet-8 for LRS.length steps. */
    private static List<float[]> train(String fusedProperty, double momentum, double decay, boolean nesterov, String label) {
        NormFactory factory = NormRegistry.load().factory("bn", Map.of());
        Block model = Models.build(Models.parse("resnet8", 10, 1), factory, factory);
        Engine.getInstance().setRandomSeed(11);
        String before = System.getProperty(FusedSgd.PROPERTY);
        System.setProperty(FusedSgd.PROPERTY, fusedProperty);
        try (NDManager manager = NDManager.newBaseManager()) {
            model.initialize(manager, DataType.FLOAT32, SHAPE);
            NDArray x = manager.randomNormal(SHAPE);
            NDArray y = manager.arange(8f);
            List<float[]> out = new ArrayList<>();
            try (TrainStep step = new TrainStep(model, manager, new CrossEntropy(0.1), momentum, decay, nesterov)) {
                for (float lr : LRS) {
                    try (NDManager scope = manager.newSubManager()) {
                        NDArray xs = x.duplicate();
                        NDArray ys = y.duplicate();
                        xs.attach(scope);
                        ys.attach(scope);
                        step.step(xs, ys, lr);
                    }
                    assertEquals(Boolean.parseBoolean(fusedProperty), step.sgd().lastStepFused(), label);
                }
                model.getParameters().values().forEach(p -> out.add(p.getArray().toFloatArray()));
                int withMomentum = 0;
                for (byte[] b : step.sgd().momentumBuffers()) {
                    if (b != null) {
                        out.add(manager.decode(b).toFloatArray());
                        withMomentum++;
                    }
                }
                assertEquals(momentum == 0 ? 0 : step.sgd().momentumBuffers().size(), withMomentum, label);
            }
            return out;
        } finally {
            if (before == null) {
                System.clearProperty(FusedSgd.PROPERTY);
            } else {
                System.setProperty(FusedSgd.PROPERTY, before);
            }
        }
    }

    @Test
    void stepsAndZeroingClearNanGradients() {
        int cases = 0;
        for (String fused : new String[] {"false", "true"}) {
            String before = System.getProperty(FusedSgd.PROPERTY);
            System.setProperty(FusedSgd.PROPERTY, fused);
            try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
                Parameter w = parameter(manager);
                Sgd sgd = new Sgd(List.of(w), 0.9, 5e-4, false);
                backward(w.getArray(), new float[] {1, 2, 3, 4}); // a first, finite step makes the buffers
                sgd.step(0.1f);
                backward(w.getArray(), new float[] {Float.NaN, 1, Float.NaN, 2});
                sgd.zeroGradients(); // what TrainStep does when the loss is not finite
                assertArrayEquals(new float[4], w.getArray().getGradient().toFloatArray(), 0f, "fused " + fused + ": zeroGradients");
                backward(w.getArray(), new float[] {Float.NaN, 1, 1, 1});
                sgd.step(0.1f);
                assertEquals(Boolean.parseBoolean(fused), sgd.lastStepFused());
                assertTrue(Float.isNaN(w.getArray().toFloatArray()[0]), "a NaN gradient that was stepped on reaches w");
                assertArrayEquals(new float[4], w.getArray().getGradient().toFloatArray(), 0f, "fused " + fused + ": after a step");
                sgd.close();
                cases++;
            } finally {
                if (before == null) {
                    System.clearProperty(FusedSgd.PROPERTY);
                } else {
                    System.setProperty(FusedSgd.PROPERTY, before);
                }
            }
        }
        assertEquals(2, cases);
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
        NDArray w0 = manager.create(new float[] {0.5f, -1f, 2f, 0.25f}, new Shape(2, 2));
        w0.setRequiresGradient(true);
        Parameter w = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).build();
        w.setArray(w0);
        return w;
    }

    /** Accumulates grad into w's gradient, as a training step's backward. */
    private static void backward(NDArray w, float[] grad) {
        try (GradientCollector collector = Engine.getInstance().newGradientCollector();
                NDManager scratch = w.getManager().newSubManager()) {
            NDArray g = scratch.create(grad, w.getShape());
            collector.backward(g.mul(w).sum());
        }
    }
}

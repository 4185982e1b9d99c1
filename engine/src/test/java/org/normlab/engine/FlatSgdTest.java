package org.normlab.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
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
 * The step on flat buffers (parameters and gradients as views of one buffer each) computes bit
 * for bit what the per-parameter step computes, through a checkpoint's momentum restore too.
 */
class FlatSgdTest {

    private static final Shape SHAPE = new Shape(8, 1, 12, 12);
    private static final float[] LRS = {0.1f, 0.05f, 0.0f, 0.07f};

    @Test
    void flatStepsEqualPerParameterStepsBitForBit() {
        int cases = 0;
        for (double momentum : new double[] {0, 0.9}) {
            for (double decay : new double[] {0, 5e-4}) {
                for (boolean nesterov : momentum == 0 ? new boolean[] {false} : new boolean[] {false, true}) {
                    String label = "momentum " + momentum + " decay " + decay + " nesterov " + nesterov;
                    List<float[]> perParameter = train("false", momentum, decay, nesterov, label);
                    List<float[]> flat = train("true", momentum, decay, nesterov, label);
                    assertEquals(perParameter.size(), flat.size(), label);
                    for (int i = 0; i < flat.size(); i++) {
                        assertArrayEquals(perParameter.get(i), flat.get(i), 0f, label + ": array " + i);
                    }
                    cases++;
                }
            }
        }
        assertEquals(6, cases);
    }

    /** Parameters then momentum buffers after training ResNet-8 for LRS.length steps. */
    private static List<float[]> train(String flatProperty, double momentum, double decay, boolean nesterov, String label) {
        NormFactory factory = NormRegistry.load().factory("bn", Map.of());
        Block model = Models.build(Models.parse("resnet8", 10, 1), factory, factory);
        Engine.getInstance().setRandomSeed(11);
        String before = System.getProperty(FlatParameters.PROPERTY);
        System.setProperty(FlatParameters.PROPERTY, flatProperty);
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
                    FlatParameters flat = step.sgd().flatParameters();
                    assertEquals(Boolean.parseBoolean(flatProperty), flat != null, label);
                    if (flat != null) {
                        assertTrue(flat.bound(), label + ": parameters and gradients view the flat buffers");
                    }
                    if (lr == LRS[1]) { // as a resume does: the momentum comes back from its encoding
                        step.sgd().restoreMomentum(step.sgd().momentumBuffers());
                    }
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
                System.clearProperty(FlatParameters.PROPERTY);
            } else {
                System.setProperty(FlatParameters.PROPERTY, before);
            }
        }
    }

    @Test
    void aParameterReplacedBehindTheBindingFailsLoudlyAndARestoreRebinds() {
        for (boolean restored : new boolean[] {false, true}) {
            try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
                NDArray w0 = manager.create(new float[] {1, 2, 3, 4}, new Shape(2, 2));
                w0.setRequiresGradient(true);
                Parameter w = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).build();
                w.setArray(w0);
                Sgd sgd = new Sgd(List.of(w), 0.9, 0, false);
                backward(w0, new float[] {1, 1, 1, 1});
                sgd.step(0.1f);
                assertTrue(sgd.flatParameters() != null && sgd.flatParameters().bound(), "bound after the first step");
                // what ModelState.restore does to each parameter: its storage replaced in place
                try (NDArray value = manager.create(new float[] {5, 6, 7, 8}, new Shape(2, 2))) {
                    w0.set(value.toByteBuffer());
                }
                if (restored) {
                    sgd.restoreMomentum(sgd.momentumBuffers());
                    for (int i = 0; i < Sgd.VERIFY_EVERY + 1; i++) {
                        backward(w0, new float[] {0, 0, 0, 0});
                        sgd.step(0f);
                    }
                    assertTrue(sgd.flatParameters().bound(), "rebound after the restore");
                    assertArrayEquals(new float[] {5, 6, 7, 8}, w0.toFloatArray(), 0f, "the restored values, kept");
                } else {
                    IllegalStateException e = assertThrows(IllegalStateException.class, () -> {
                        for (int i = 0; i < Sgd.VERIFY_EVERY; i++) {
                            backward(w0, new float[] {1, 1, 1, 1});
                            sgd.step(0.1f);
                        }
                    });
                    assertTrue(e.getMessage().contains("restoreMomentum"), e.getMessage());
                }
                sgd.close();
            }
        }
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

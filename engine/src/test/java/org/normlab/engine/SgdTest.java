package org.normlab.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Sgd against torch.optim.SGD (fixture made by resources/sgd/make_fixture.py). */
class SgdTest {

    private static JsonNode fixture;

    @BeforeAll
    static void load() throws Exception {
        try (InputStream in = SgdTest.class.getResourceAsStream("/sgd/torch-sgd.json")) {
            fixture = new ObjectMapper().readTree(in);
        }
    }

    @Test
    void matchesTorchSgdStepByStepWhileTheLearningRateChanges() {
        for (JsonNode c : fixture.path("cases")) {
            String label = c.toString().substring(0, 60);
            try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
                Parameter w = parameter(manager);
                Sgd sgd = new Sgd(List.of(w), c.path("momentum").asDouble(),
                        c.path("weight_decay").asDouble(), c.path("nesterov").asBoolean());
                for (int t = 0; t < fixture.path("lrs").size(); t++) {
                    backward(w.getArray(), floats(fixture.path("grads").get(t)));
                    sgd.step((float) fixture.path("lrs").get(t).asDouble());
                    assertArrayEquals(floats(c.path("after_step").get(t)), w.getArray().toFloatArray(),
                            1e-6f, label + " step " + t);
                }
                sgd.close();
            }
        }
    }

    @Test
    void stepsLeaveNoArraysBehind() {
        for (boolean nesterov : new boolean[] {false, true}) {
            try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
                Parameter w = parameter(manager);
                Sgd sgd = new Sgd(List.of(w), 0.9, 5e-4, nesterov);
                float[] grad = floats(fixture.path("grads").get(0));
                backward(w.getArray(), grad);
                sgd.step(0.1f);
                int afterFirstStep = manager.getManagedArrays().size();
                for (int t = 0; t < 20; t++) {
                    backward(w.getArray(), grad);
                    sgd.step(t == 10 ? 0f : 0.1f / (1 + t));
                }
                assertEquals(afterFirstStep, manager.getManagedArrays().size(),
                        "nesterov " + nesterov + ": arrays attached to the parameter's manager after 1 step vs after 21 steps");
                sgd.close();
            }
        }
    }

    private static Parameter parameter(NDManager manager) {
        return parameter(manager.create(floats(fixture.path("w0")), new Shape(2, 3)));
    }

    /** A weight named w holding {@code w0}, which records gradients. */
    static Parameter parameter(NDArray w0) {
        w0.setRequiresGradient(true);
        Parameter w = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).build();
        w.setArray(w0);
        return w;
    }

    /** Accumulates d/dw sum(w * grad) = grad into w's gradient, as a training step's backward. */
    static void backward(NDArray w, float[] grad) {
        try (GradientCollector collector = Engine.getInstance().newGradientCollector();
                NDManager scratch = w.getManager().newSubManager()) {
            NDArray g = scratch.create(grad, w.getShape());
            collector.backward(g.mul(w).sum()); // g first: the products belong to scratch
        }
    }

    private static float[] floats(JsonNode values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) values.get(i).asDouble();
        }
        return out;
    }
}

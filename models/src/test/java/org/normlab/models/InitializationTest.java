package org.normlab.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Initial values as torchvision's: convolutions Kaiming-normal on fan_out, the classifier
 * uniform in +-1/sqrt(fan_in), and every norm parameter left to its plugin (IEBN's gate at w = 0,
 * b = -1; gamma 1, beta 0, running mean 0, running variance 1).
 */
class InitializationTest {

    /** Checks every parameter of an IEBN-everywhere ResNet-18 by its shape and type. */
    @Test
    void resnet18StartsAsTorchvisionWithIebnUntouched() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block net = Models.build(Models.parse("resnet18", 10, 3), TestNorms.iebn(), TestNorms.iebn());
            net.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
            int convs = 0;
            int gates = 0;
            for (Pair<String, Parameter> named : net.getParameters()) {
                Parameter p = named.getValue();
                NDArray a = p.getArray();
                Shape s = a.getShape();
                String where = named.getKey() + " " + s;
                if (s.dimension() == 4) {
                    // Kaiming fan_out: std sqrt(2 / (out * kh * kw)); fan_in would differ on the
                    // stem (3 vs 64 channels) and on every channel-doubling convolution.
                    convs++;
                    double expectedStd = Math.sqrt(2.0 / (s.get(0) * s.get(2) * s.get(3)));
                    double mean = a.mean().getFloat();
                    double std = Math.sqrt(a.sub(mean).square().mean().getFloat());
                    assertEquals(expectedStd, std, 0.05 * expectedStd, where);
                    assertEquals(0, mean, 0.05 * expectedStd, where);
                } else if (p.getType() == Parameter.Type.WEIGHT || p.getType() == Parameter.Type.BIAS) {
                    // The classifier: weight (10, 512) and bias (10), uniform in +-1/sqrt(512).
                    float bound = (float) (1 / Math.sqrt(512));
                    float largest = a.abs().max().getFloat();
                    assertTrue(largest <= bound, where + " exceeds the bound: " + largest);
                    if (p.getType() == Parameter.Type.WEIGHT) {
                        assertTrue(largest > 0.95f * bound, where + " does not fill the range: " + largest);
                        assertEquals(new Shape(10, 512), s);
                    } else {
                        assertTrue(largest > 0, where + " is all zero");
                    }
                } else {
                    float expected = switch (p.getType()) {
                        case GAMMA, RUNNING_VAR -> 1f;
                        case BETA, RUNNING_MEAN -> 0f;
                        case OTHER -> {
                            gates++;
                            yield Map.of("weightReadjust", 0f, "biasReadjust", -1f).get(p.getName());
                        }
                        default -> throw new AssertionError("unexpected parameter " + where);
                    };
                    assertTrue(a.eq(expected).all().getBoolean(), where + " should be all " + expected);
                }
            }
            // Stem, 16 in the units, 3 projections; gate w and b in each of their 20 norms.
            assertEquals(1 + 16 + 3, convs);
            assertEquals(2 * 20, gates);
        }
    }
}

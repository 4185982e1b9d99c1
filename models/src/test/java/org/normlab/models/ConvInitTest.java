package org.normlab.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.util.Pair;
import ai.djl.nn.Parameter;
import org.junit.jupiter.api.Test;

/**
 * model.init on the convolutions of a built CIFAR ResNet-20 (19 of them: the stem, 16 in the
 * units, 2 channel-doubling ones whose fan_in and fan_out differ). pytorch is torch.nn.Conv2d's
 * default, kaiming_uniform_(a = sqrt(5)): U(-b, b) with b = 1/sqrt(in * k * k), so std = b/sqrt(3);
 * fan_out is Kaiming normal with std sqrt(2 / (out * k * k)).
 */
class ConvInitTest {

    @Test
    void pytorchIsUniformWithinOneOverSqrtFanIn() {
        int checked = 0;
        for (NDArray w : convWeights(ConvInit.PYTORCH)) {
            Shape s = w.getShape();
            double bound = 1 / Math.sqrt(s.get(1) * s.get(2) * s.get(3));
            float largest = w.abs().max().getFloat();
            assertTrue(largest <= bound, s + ": " + largest + " exceeds " + bound);
            assertTrue(largest > 0.97 * bound, s + ": " + largest + " does not fill +-" + bound);
            if (s.size() >= 2304) { // the sample std of thousands of weights is within a few %
                assertEquals(bound / Math.sqrt(3), std(w), 0.04 * bound / Math.sqrt(3), s.toString());
                checked++;
            }
        }
        assertEquals(18, checked);
    }

    @Test
    void fanOutIsKaimingNormalOnOutputChannels() {
        int checked = 0;
        for (NDArray w : convWeights(ConvInit.FAN_OUT)) {
            Shape s = w.getShape();
            if (s.size() >= 2304) {
                double expected = Math.sqrt(2.0 / (s.get(0) * s.get(2) * s.get(3)));
                assertEquals(expected, std(w), 0.05 * expected, s.toString());
                checked++;
            }
        }
        assertEquals(18, checked);
    }

    @Test
    void keysAndABadOne() {
        assertEquals(ConvInit.PYTORCH, ConvInit.of("pytorch"));
        assertEquals(ConvInit.FAN_OUT, new ModelSpec("cifar_resnet", 20, 10, 3, null, null, false).init());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConvInit.of("xavier"));
        assertEquals("model.init 'xavier' is unknown; allowed: fan_out, pytorch", e.getMessage());
    }

    /** The 19 convolution weights of a ResNet-20 initialized with {@code init}, stem first. */
    private static java.util.List<NDArray> convWeights(ConvInit init) {
        NDManager manager = NDManager.newBaseManager();
        Engine.getInstance().setRandomSeed(7);
        Block net = Models.build(new ModelSpec("cifar_resnet", 20, 10, 3, null, null, false, init), TestNorms.bn(), TestNorms.bn());
        net.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
        java.util.List<NDArray> convs = new java.util.ArrayList<>();
        for (Pair<String, Parameter> p : net.getParameters()) {
            if (p.getValue().getArray().getShape().dimension() == 4) {
                convs.add(p.getValue().getArray().duplicate());
            }
        }
        assertEquals(19, convs.size());
        assertEquals(new Shape(16, 3, 3, 3), convs.get(0).getShape());
        return convs;
    }

    private static double std(NDArray a) {
        double mean = a.mean().getFloat();
        return Math.sqrt(a.sub(mean).square().mean().getFloat());
    }
}

package org.normlab.instruments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What log.layers costs on the step it samples, counted rather than timed: a sampled training
 * step computes bit for bit what an unsampled one computes (the layers keep their fused path)
 * and ends holding exactly as many arrays and bytes; the probe's own arrays are gone by then.
 */
class SampledStepTest {

    /** 24x24 maps: the first iebn layer takes its fused-kernel affine (H*W >= 512), the second (22x22) the broadcast one. */
    private static final Shape INPUT = new Shape(4, 3, 24, 24);

    static Stream<Arguments> norms() {
        return Stream.of(
                Arguments.of("bn", Map.of()), // fused kernel with gamma and beta
                Arguments.of("bn", Map.of("affine", false)), // generic path: the watched step's own standardize
                Arguments.of("iebn", Map.of()));
    }

    @ParameterizedTest
    @MethodSource("norms")
    void aSampledStepComputesBitForBitWhatAnUnsampledOneDoes(String norm, Map<String, ?> options) {
        try (NDManager manager = NDManager.newBaseManager()) {
            SequentialBlock plainNet = net(manager, norm, options);
            SequentialBlock sampledNet = net(manager, norm, options);
            assertEquals(values(plainNet), values(sampledNet), "the two nets start alike");
            Map<String, float[]> plain = step(manager, plainNet, false);
            Map<String, float[]> sampled = step(manager, sampledNet, true);
            assertEquals(plain.keySet(), sampled.keySet());
            assertTrue(plain.size() >= 10, "output, input gradient, parameters, gradients, running statistics: " + plain.keySet());
            for (String what : plain.keySet()) {
                assertArrayEquals(plain.get(what), sampled.get(what), what + " differs on the sampled step");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("norms")
    void aSampledStepEndsHoldingNoMoreArraysThanAnUnsampledOne(String norm, Map<String, ?> options) {
        try (NDManager manager = NDManager.newBaseManager()) {
            SequentialBlock net = net(manager, norm, options);
            footprint(manager, net, false); // a first step, so that nothing made once is counted below
            long[] before = footprint(manager, net, false);
            long[] sampled = footprint(manager, net, true);
            long[] after = footprint(manager, net, false);
            assertTrue(before[0] > 5, "the step's arrays are counted: " + before[0]);
            assertArrayEquals(before, sampled, "{arrays, bytes} held at the end of an unsampled step vs a sampled one");
            assertArrayEquals(before, after, "{arrays, bytes} after sampling");
        }
    }

    /**
     * One training step in its own sub-manager, as the training loop and the benchmark run it.
     *
     * @return the arrays the step's manager holds at its end (the step's peak: DJL frees them
     *     only when it closes), their bytes, and the arrays the model's manager holds after it
     */
    private static long[] footprint(NDManager manager, SequentialBlock net, boolean sampled) {
        long arrays;
        long bytes = 0;
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = TestNets.batches(manager, INPUT, 1, 5).get(0);
            x.attach(scope);
            train(net, x, sampled);
            List<NDArray> held = scope.getManagedArrays();
            arrays = held.size();
            for (NDArray a : held) {
                bytes += a.getShape().size() * a.getDataType().getNumOfBytes();
            }
        }
        return new long[] {arrays, bytes, manager.getManagedArrays().size()};
    }

    /** One step's values: the output, the input's gradient, every parameter and gradient after it. */
    private static Map<String, float[]> step(NDManager manager, SequentialBlock net, boolean sampled) {
        NDArray x = TestNets.batches(manager, INPUT, 1, 5).get(0);
        x.setRequiresGradient(true);
        Map<String, float[]> out = new LinkedHashMap<>();
        out.put("output", train(net, x, sampled).toFloatArray());
        out.put("input gradient", x.getGradient().toFloatArray());
        for (Pair<String, Parameter> p : net.getParameters()) {
            NDArray value = p.getValue().getArray();
            out.put(p.getKey(), value.toFloatArray());
            if (value.hasGradient()) {
                out.put(p.getKey() + " gradient", value.getGradient().toFloatArray());
            }
        }
        return out;
    }

    /** Forward and backward in training mode, with the probes armed when sampled; the output. */
    private static NDArray train(SequentialBlock net, NDArray x, boolean sampled) {
        List<NormLayer> layers = NormLayers.find(net);
        ParameterStore store = new ParameterStore(x.getManager(), false);
        try (LayerProbes probes = sampled ? LayerProbes.arm(layers, 0) : null;
                GradientCollector collector = x.getManager().getEngine().newGradientCollector()) {
            NDArray y = net.forward(store, new NDList(x), true).singletonOrThrow();
            collector.backward(y.mul(y).sum());
            if (probes != null) {
                assertEquals(layers.size(), probes.samples().size(), "every layer sampled");
            }
            return y;
        }
    }

    /** TestNets.net with a scale, shift and gate parameters away from their initial values. */
    private static SequentialBlock net(NDManager manager, String norm, Map<String, ?> options) {
        Engine.getInstance().setRandomSeed(11);
        SequentialBlock net = TestNets.net(manager, norm, options, INPUT);
        for (NormLayer layer : NormLayers.find(net)) {
            int c = (int) layer.channels();
            setIfPresent(layer, "gamma", ramp(c, 0.6f, 0.3f));
            setIfPresent(layer, "beta", ramp(c, -0.4f, 0.25f));
            setIfPresent(layer, "weightReadjust", ramp(c, 0.9f, -0.5f));
            setIfPresent(layer, "biasReadjust", ramp(c, -0.3f, 0.2f));
        }
        return net;
    }

    private static void setIfPresent(NormLayer layer, String name, float[] values) {
        if (layer.block().getParameters().keys().contains(name)) {
            TestNets.set(layer.block(), name, values);
        }
    }

    private static float[] ramp(int length, float start, float step) {
        float[] v = new float[length];
        for (int i = 0; i < length; i++) {
            v[i] = start + step * i;
        }
        return v;
    }

    private static List<List<Float>> values(SequentialBlock net) {
        List<List<Float>> all = new ArrayList<>();
        for (Pair<String, Parameter> p : net.getParameters()) {
            List<Float> v = new ArrayList<>();
            for (float f : p.getValue().getArray().toType(DataType.FLOAT32, false).toFloatArray()) {
                v.add(f);
            }
            all.add(v);
        }
        return all;
    }
}

package org.normlab.instruments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link BatchNoise} against a float64 plain-Java forward pass, and its promises about training. */
class BatchNoiseTest {

    private static final int H = 6;
    private static final int W = 6;
    private static final float EPS = 1e-5f;
    /** The channels of TestNets.net's two convolutions. */
    private static final int FIRST = 16;
    private static final int SECOND = 32;

    private static float[] ramp(int length, float start, float step) {
        float[] v = new float[length];
        for (int i = 0; i < length; i++) {
            v[i] = start + step * i;
        }
        return v;
    }

    /** batch_noise of the two norm layers and the output of TestNets.net, computed in float64 loops. */
    @Test
    void bnAgreesWithAFloat64Reference() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Shape shape = new Shape(8, 3, H, W);
            Engine.getInstance().setRandomSeed(11);
            SequentialBlock net = TestNets.net(manager, "bn", Map.of(), shape);
            // gamma and beta away from 1 and 0, so the reference must apply them
            TestNets.set(net.getChildren().get(1).getValue(), "gamma", ramp(FIRST, 1.5f, -0.2f));
            TestNets.set(net.getChildren().get(1).getValue(), "beta", ramp(FIRST, 0.1f, -0.05f));
            TestNets.set(net.getChildren().get(4).getValue(), "gamma", ramp(SECOND, 0.7f, 0.06f));
            TestNets.set(net.getChildren().get(4).getValue(), "beta", ramp(SECOND, 0.5f, -0.03f));
            List<NDArray> data = TestNets.batches(manager, shape, 2, 5);
            NDArray batch = data.get(0);
            NDArray others = data.get(1);

            BatchNoise.Values v = BatchNoise.measure(net, NormLayers.find(net), batch, others, 7);

            double[][] expected = reference(net, batch.toFloatArray(), others.toFloatArray(), 8);
            assertEquals(2, v.perLayer().length);
            TestNets.assertRelative(expected[0], v.perLayer(), 2e-4, 0, "per layer");
            TestNets.assertRelative(new double[] {expected[1][0]}, new double[] {v.logits()}, 2e-4, 0, "output");
            assertEquals(SECOND, v.classes());
            assertTrue(v.perLayer()[0] > 0.05, "bn at batch 8 is clearly batch-dependent: " + v.perLayer()[0]);
        }
    }

    /**
     * A batch norm without a running variance (mean-only, as a plugin writes it): measured like
     * any other, batch-dependent, and its running mean left as it was.
     */
    @Test
    void aNormWithoutRunningVarianceIsMeasuredAndLeftUntouched() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Shape shape = new Shape(8, 3, H, W);
            SequentialBlock net = TestNets.net(manager, "test-mobn-novar", Map.of(), shape);
            List<NormLayer> layers = NormLayers.find(net);
            assertEquals(2, layers.size());
            float[] before = layers.get(0).block().storedRunningStats().mean().toFloatArray();
            List<NDArray> data = TestNets.batches(manager, shape, 2, 5);
            BatchNoise.Values v = BatchNoise.measure(net, layers, data.get(0), data.get(1), 7);
            assertEquals(2, v.perLayer().length);
            assertTrue(v.perLayer()[0] > 0.01 && v.logits() > 0.01, "the batch mean is the companions' too: "
                    + java.util.Arrays.toString(v.perLayer()) + ", " + v.logits());
            assertArrayEquals(before, layers.get(0).block().storedRunningStats().mean().toFloatArray());
        }
    }

    /** GroupNorm looks at one sample only: the output is the same whoever the companions are. */
    @Test
    void groupNormGivesExactlyZero() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Shape shape = new Shape(8, 3, H, W);
            SequentialBlock net = TestNets.net(manager, "gn", Map.of("groups", 1), shape);
            List<NDArray> data = TestNets.batches(manager, shape, 2, 5);
            BatchNoise.Values v = BatchNoise.measure(net, NormLayers.find(net), data.get(0), data.get(1), 7);
            assertEquals(0, v.perLayer().length, "gn has no running statistics, so no per-layer rows");
            assertEquals(0.0, v.logits());
        }
    }

    /**
     * The ghost wrapper with virtual batches of the size of A: A is one virtual batch in both
     * passes, so its samples never meet B or C, and every layer reads exactly 0.
     */
    @Test
    void ghostBatchesOfASizeSeparateAFromItsCompanions() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Shape shape = new Shape(8, 3, H, W);
            SequentialBlock net = TestNets.net(manager, "ghost", Map.of("inner", "bn", "size", 4), shape);
            List<NDArray> data = TestNets.batches(manager, shape, 2, 5);
            BatchNoise.Values v = BatchNoise.measure(net, NormLayers.find(net), data.get(0), data.get(1), 7);
            assertArrayEquals(new double[] {0, 0}, v.perLayer());
            assertEquals(0.0, v.logits());
            SequentialBlock halves = TestNets.net(manager, "ghost", Map.of("inner", "bn", "size", 2), shape);
            BatchNoise.Values pairs = BatchNoise.measure(halves, NormLayers.find(halves), data.get(0), data.get(1), 7);
            assertArrayEquals(new double[] {0, 0}, pairs.perLayer(), "size 2 divides A too");
        }
    }

    /** A fixed bn net: the larger the batch, the less a sample's output depends on its companions. */
    @Test
    void bnFallsWithBatchSize() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(3);
            SequentialBlock net = TestNets.net(manager, "bn", Map.of(), new Shape(4, 3, H, W));
            NDArray images = TestNets.batches(manager, new Shape(256, 3, H, W), 1, 9).get(0);
            List<NormLayer> layers = NormLayers.find(net);
            int[] sizes = {4, 16, 64, 128};
            List<BatchNoise.Values> values = new ArrayList<>();
            for (int n : sizes) {
                values.add(BatchNoise.measure(net, layers, images.get("0:" + n), images.get("128:256"), 7));
            }
            assertEquals(sizes.length, values.size());
            for (int i = 1; i < sizes.length; i++) {
                for (int l = 0; l < 2; l++) {
                    assertTrue(values.get(i).perLayer()[l] < values.get(i - 1).perLayer()[l],
                            "layer " + l + " at batch " + sizes[i] + " vs " + sizes[i - 1]);
                }
                assertTrue(values.get(i).logits() < values.get(i - 1).logits(), "output at batch " + sizes[i]);
            }
            // roughly 1/sqrt(n): 32 times the batch, several times less noise
            assertTrue(values.get(0).logits() > 4 * values.get(3).logits(), values.get(0).logits() + " vs " + values.get(3).logits());
        }
    }

    /**
     * Measuring before a training step changes nothing of it: parameters, gradients, running
     * statistics and the attack's noise stream come out bit for bit as without it.
     */
    @Test
    void theTrainingStepIsBitForBitTheSame() {
        for (String norm : List.of("bn", "gaussian")) {
            boolean bn = norm.equals("bn");
            Map<String, ?> options = bn ? Map.of() : Map.of("inner", "bn", "s_mu", 0.5, "s_sigma", 0.5);
            List<float[]> without = trainOnce(norm, options, false);
            List<float[]> with = trainOnce(norm, options, true);
            assertEquals(without.size(), with.size());
            // two outputs; gamma, beta, running mean and var twice and the linear layer's weight and bias; 6 gradients
            assertEquals(2 + 10 + 6, without.size(), norm);
            for (int i = 0; i < without.size(); i++) {
                assertArrayEquals(without.get(i), with.get(i), norm + ": array " + i);
            }
        }
    }

    /**
     * The passes' arrays, the layers' extra runs and the kept outputs are all freed by the time
     * measure returns, for the plain step (watched, fused path) and for a decorated one (replaced,
     * scratch statistics): nothing is left in the batch's or the model's manager, so repeated
     * measurements hold no more than one does.
     */
    @Test
    void measuringLeavesNoArrayBehind() {
        for (String norm : List.of("bn", "iebn", "gaussian")) {
            Map<String, ?> options = norm.equals("gaussian") ? Map.of("inner", "bn", "s_mu", 0.5, "s_sigma", 0.5) : Map.of();
            try (NDManager manager = NDManager.newBaseManager()) {
                Shape shape = new Shape(8, 3, H, W);
                SequentialBlock net = TestNets.net(manager, norm, options, shape);
                List<NDArray> data = TestNets.batches(manager, shape, 2, 5);
                NDManager batchManager = data.get(0).getManager();
                int before = manager.getManagedArrays().size();
                int batchBefore = batchManager.getManagedArrays().size();
                for (int i = 0; i < 3; i++) {
                    BatchNoise.measure(net, NormLayers.find(net), data.get(0), data.get(1), 7);
                    assertEquals(before, manager.getManagedArrays().size(), norm + ": arrays in the model's manager after " + (i + 1));
                    assertEquals(batchBefore, batchManager.getManagedArrays().size(), norm + ": arrays in the batch's manager");
                }
            }
        }
    }

    /**
     * A fresh net norm relu norm flatten linear: (measure, when asked,) one training step (forward,
     * backward), then one more training forward pass; the step's output, every parameter (running
     * statistics included) and gradient after it, and the second output. No convolution: on this
     * engine a convolution's weight gradient before a norm is not reproducible to the bit between
     * two identical runs (multi-threaded sums that nearly cancel), with or without measuring.
     */
    private static List<float[]> trainOnce(String norm, Map<String, ?> options, boolean measure) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Shape shape = new Shape(8, 3, H, W);
            Engine.getInstance().setRandomSeed(21);
            SequentialBlock net = new SequentialBlock()
                    .add(TestNets.REGISTRY.factory(norm, options).create(3))
                    .add(ai.djl.nn.Activation::relu)
                    .add(TestNets.REGISTRY.factory(norm, options).create(3))
                    .add(ai.djl.nn.Blocks.batchFlattenBlock())
                    .add(ai.djl.nn.core.Linear.builder().setUnits(4).build());
            net.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, shape);
            TestNets.set(net.getChildren().get(0).getValue(), "gamma", 1.5f, 0.5f, -1f);
            List<NDArray> data = TestNets.batches(manager, shape, 3, 4);
            ParameterStore store = new ParameterStore(manager, false);
            List<float[]> arrays = new ArrayList<>();
            if (measure) {
                BatchNoise.Values v = BatchNoise.measure(net, NormLayers.find(net), data.get(0), data.get(2), 99);
                assertTrue(v.logits() > 0, "measured: " + v.logits());
            }
            Engine.getInstance().setRandomSeed(1);
            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                NDArray out = net.forward(store, new NDList(data.get(0)), true).singletonOrThrow();
                arrays.add(out.toFloatArray());
                collector.backward(out.sub(0.5f).square().mean());
            }
            for (Pair<String, Parameter> p : net.getParameters()) {
                arrays.add(p.getValue().getArray().toFloatArray());
                if (p.getValue().requiresGradient()) {
                    arrays.add(p.getValue().getArray().getGradient().toFloatArray());
                }
            }
            // the attack's stream goes on from where the step left it
            arrays.add(net.forward(store, new NDList(data.get(1)), true).singletonOrThrow().toFloatArray());
            return arrays;
        }
    }

    // ---- the float64 reference: conv(3->4, pad 1) bn relu conv(4->5) bn relu, in training mode

    /** {per-layer values, {output value}} for the samples of A = the first n/2 of batch. */
    private static double[][] reference(SequentialBlock net, float[] batch, float[] others, int n) {
        int a = n / 2;
        int perSample = 3 * H * W;
        double[] ab = new double[n * perSample];
        double[] ac = new double[n * perSample];
        for (int i = 0; i < n * perSample; i++) {
            ab[i] = batch[i];
            ac[i] = i < a * perSample ? batch[i] : others[i - a * perSample];
        }
        List<double[]> yab = forward(net, ab, n);
        List<double[]> yac = forward(net, ac, n);
        double[] layers = new double[2];
        for (int l = 0; l < 2; l++) {
            layers[l] = ratio(yab.get(l), yac.get(l), a, n);
        }
        return new double[][] {layers, {ratio(yab.get(2), yac.get(2), a, n)}};
    }

    /** ‖y_AB − y_AC‖ / ‖y_AB‖ over the first a of n samples (each sample a contiguous block). */
    private static double ratio(double[] yab, double[] yac, int a, int n) {
        int upTo = yab.length / n * a;
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < upTo; i++) {
            diff += (yab[i] - yac[i]) * (yab[i] - yac[i]);
            norm += yab[i] * yab[i];
        }
        return Math.sqrt(diff) / Math.sqrt(norm);
    }

    /** The first bn's output, the second bn's output, the net's output. */
    private static List<double[]> forward(SequentialBlock net, double[] x, int n) {
        Block conv1 = net.getChildren().get(0).getValue();
        Block bn1 = net.getChildren().get(1).getValue();
        Block conv2 = net.getChildren().get(3).getValue();
        Block bn2 = net.getChildren().get(4).getValue();
        double[] c1 = conv(x, n, 3, H, W, param(conv1, "weight"), param(conv1, "bias"), FIRST, 1);
        double[] b1 = bn(c1, n, FIRST, H * W, param(bn1, "gamma"), param(bn1, "beta"));
        double[] c2 = conv(relu(b1), n, FIRST, H, W, param(conv2, "weight"), param(conv2, "bias"), SECOND, 0);
        double[] b2 = bn(c2, n, SECOND, (H - 2) * (W - 2), param(bn2, "gamma"), param(bn2, "beta"));
        return List.of(b1, b2, relu(b2));
    }

    private static double[] param(Block block, String name) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().getName().equals(name)) {
                return TestNets.doubles(p.getValue().getArray());
            }
        }
        throw new IllegalArgumentException("no " + name);
    }

    /** A 3x3 convolution with stride 1 and the given padding, NCHW. */
    private static double[] conv(double[] x, int n, int c, int h, int w, double[] weight, double[] bias, int f, int pad) {
        int oh = h + 2 * pad - 2;
        int ow = w + 2 * pad - 2;
        double[] y = new double[n * f * oh * ow];
        for (int s = 0; s < n; s++) {
            for (int o = 0; o < f; o++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double sum = bias[o];
                        for (int ch = 0; ch < c; ch++) {
                            for (int ki = 0; ki < 3; ki++) {
                                for (int kj = 0; kj < 3; kj++) {
                                    int r = i + ki - pad;
                                    int col = j + kj - pad;
                                    if (r >= 0 && r < h && col >= 0 && col < w) {
                                        sum += weight[((o * c + ch) * 3 + ki) * 3 + kj] * x[((s * c + ch) * h + r) * w + col];
                                    }
                                }
                            }
                        }
                        y[((s * f + o) * oh + i) * ow + j] = sum;
                    }
                }
            }
        }
        return y;
    }

    /** Training-mode batch norm: batch mean and biased variance per channel, then gamma and beta. */
    private static double[] bn(double[] x, int n, int c, int l, double[] gamma, double[] beta) {
        double[] y = new double[x.length];
        for (int ch = 0; ch < c; ch++) {
            double sum = 0;
            for (int s = 0; s < n; s++) {
                for (int k = 0; k < l; k++) {
                    sum += x[(s * c + ch) * l + k];
                }
            }
            double mean = sum / (n * l);
            double sq = 0;
            for (int s = 0; s < n; s++) {
                for (int k = 0; k < l; k++) {
                    double d = x[(s * c + ch) * l + k] - mean;
                    sq += d * d;
                }
            }
            double std = Math.sqrt(sq / (n * l) + EPS);
            for (int s = 0; s < n; s++) {
                for (int k = 0; k < l; k++) {
                    int i = (s * c + ch) * l + k;
                    y[i] = gamma[ch] * (x[i] - mean) / std + beta[ch];
                }
            }
        }
        return y;
    }

    private static double[] relu(double[] x) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = Math.max(0, x[i]);
        }
        return y;
    }
}

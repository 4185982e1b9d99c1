package org.normlab.instruments;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.normlab.norm.NormRegistry;

/** Small models and inputs for the instrument tests, and float64 references computed in plain Java. */
final class TestNets {

    static final NormRegistry REGISTRY = NormRegistry.load();

    private TestNets() {}

    /** One norm layer, initialized for inputs of this shape. */
    static Block layer(NDManager manager, String norm, Map<String, ?> options, Shape shape) {
        Block block = REGISTRY.factory(norm, options).create((int) shape.get(1));
        block.initialize(manager, DataType.FLOAT32, shape);
        return block;
    }

    /**
     * conv(3->16) norm relu conv(16->32) norm relu: the second norm sits behind four layers. The
     * channels are multiples of 16, which the CPU engine computes correctly (see
     * org.normlab.models.CpuConvolutions: 3->4->5 gave different gradients on every run on AVX-512).
     */
    static SequentialBlock net(NDManager manager, String norm, Map<String, ?> options, Shape input) {
        SequentialBlock net = new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(16).build())
                .add(REGISTRY.factory(norm, options).create(16))
                .add(Activation::relu)
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(32).build())
                .add(REGISTRY.factory(norm, options).create(32))
                .add(Activation::relu);
        net.setInitializer(new NormalInitializer(0.5f), ai.djl.nn.Parameter.Type.WEIGHT);
        net.initialize(manager, DataType.FLOAT32, input);
        return net;
    }

    /** The output of the first {@code count} children of net, in training mode. */
    static NDArray prefix(SequentialBlock net, NDArray x, int count) {
        ParameterStore store = new ParameterStore(x.getManager(), false);
        NDList current = new NDList(x);
        for (int i = 0; i < count; i++) {
            current = net.getChildren().get(i).getValue().forward(store, current, true);
        }
        return current.singletonOrThrow();
    }

    /** Batches whose channels have different means and spreads, and whose batches differ too. */
    static List<NDArray> batches(NDManager manager, Shape shape, int count, long seed) {
        Random random = new Random(seed);
        List<NDArray> batches = new ArrayList<>();
        int c = (int) shape.get(1);
        int perChannel = (int) (shape.size() / (shape.get(0) * c));
        for (int b = 0; b < count; b++) {
            float[] data = new float[(int) shape.size()];
            for (int i = 0; i < data.length; i++) {
                int channel = (i / perChannel) % c;
                double mean = 1.5 + channel + 0.7 * b;
                double spread = 0.5 + 0.3 * channel + 0.2 * b;
                data[i] = (float) (mean + spread * random.nextGaussian());
            }
            batches.add(manager.create(data, shape));
        }
        return batches;
    }

    /** Per-channel mean and variance of x (channels on axis 1), in float64 loops. */
    static double[][] moments(float[] x, Shape shape, boolean unbiased) {
        int n = (int) shape.get(0);
        int c = (int) shape.get(1);
        int l = (int) (shape.size() / ((long) n * c));
        double[] mean = new double[c];
        double[] var = new double[c];
        for (int ch = 0; ch < c; ch++) {
            double sum = 0;
            for (int s = 0; s < n; s++) {
                for (int j = 0; j < l; j++) {
                    sum += x[(s * c + ch) * l + j];
                }
            }
            mean[ch] = sum / ((long) n * l);
            double sq = 0;
            for (int s = 0; s < n; s++) {
                for (int j = 0; j < l; j++) {
                    double d = x[(s * c + ch) * l + j] - mean[ch];
                    sq += d * d;
                }
            }
            var[ch] = sq / ((long) n * l - (unbiased ? 1 : 0));
        }
        return new double[][] {mean, var};
    }

    /** The mean over batches of each batch's mean and unbiased variance, as PreciseBN defines them. */
    static double[][] averageOfBatchMoments(List<float[]> inputs, Shape shape) {
        int c = (int) shape.get(1);
        double[][] sum = new double[2][c];
        for (float[] x : inputs) {
            double[][] m = moments(x, shape, true);
            for (int ch = 0; ch < c; ch++) {
                sum[0][ch] += m[0][ch] / inputs.size();
                sum[1][ch] += m[1][ch] / inputs.size();
            }
        }
        return sum;
    }

    static double[] doubles(NDArray a) {
        float[] f = a.toType(DataType.FLOAT32, false).toFloatArray();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    static double[] doubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    /** Every value within rel * max(|expected|, floor) of the expected one. */
    static void assertRelative(double[] expected, double[] actual, double rel, double floor, String what) {
        org.junit.jupiter.api.Assertions.assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            double tol = rel * Math.max(Math.abs(expected[i]), floor);
            if (!(Math.abs(actual[i] - expected[i]) <= tol)) {
                org.junit.jupiter.api.Assertions.fail(String.format(
                        "%s[%d]: expected %s, got %s (tolerance %s)", what, i, expected[i], actual[i], tol));
            }
        }
    }

    /** Sets a parameter of block by its name (runningMean, gamma, weightReadjust, ...). */
    static void set(Block block, String name, float... values) {
        for (ai.djl.util.Pair<String, ai.djl.nn.Parameter> p : block.getParameters()) {
            if (p.getValue().getName().equals(name)) {
                p.getValue().getArray().set(values);
                return;
            }
        }
        throw new IllegalArgumentException("no parameter " + name + " in " + block);
    }

    /** A fixed small batch of shape (n, c, h, w), channel means apart: x = c + 0.5 + sin(i) * (1 + c / 2). */
    static float[] fixedBatch(Shape shape) {
        int c = (int) shape.get(1);
        int perChannel = (int) (shape.size() / (shape.get(0) * c));
        float[] x = new float[(int) shape.size()];
        for (int i = 0; i < x.length; i++) {
            int channel = (i / perChannel) % c;
            x[i] = (float) (channel + 0.5 + Math.sin(1.3 * i) * (1 + channel / 2.0));
        }
        return x;
    }
}

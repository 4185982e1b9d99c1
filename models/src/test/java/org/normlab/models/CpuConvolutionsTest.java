package org.normlab.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The convolutions NormLab's models use are computed correctly by the CPU engine, and the
 * check refuses the ones it computes wrongly (docs/DETERMINISM.md): a model's float32 gradients
 * at this machine's thread count against the same model in float64, which PyTorch computes
 * without oneDNN.
 */
class CpuConvolutionsTest {

    /** Runs of each convolution; the unaligned one was wrong in every run of every try. */
    private static final int RUNS = 3;

    @Test
    void theRuleAllowsMultiplesOf16AndSmallImageInputsOnly() {
        assertTrue(CpuConvolutions.safe(16, 16));
        assertTrue(CpuConvolutions.safe(3, 16));
        assertTrue(CpuConvolutions.safe(1, 64));
        assertTrue(CpuConvolutions.safe(32, 64));
        assertFalse(CpuConvolutions.safe(3, 4), "output channels below a block");
        assertFalse(CpuConvolutions.safe(4, 5));
        assertFalse(CpuConvolutions.safe(16, 24), "output channels not a multiple of 16");
        assertFalse(CpuConvolutions.safe(24, 16), "more than 4 input channels, not a multiple of 16");
        assertFalse(CpuConvolutions.safe(8, 16), "AVX2 computes it, AVX-512 does not");
    }

    @Test
    void everyBuiltInModelPassesTheCheck() {
        List<ModelSpec> specs = List.of(
                new ModelSpec(ModelSpec.CIFAR_RESNET, 8, 10, 1, Shortcut.A, null, false),
                new ModelSpec(ModelSpec.CIFAR_RESNET, 20, 10, 3, Shortcut.B, null, false),
                new ModelSpec(ModelSpec.CIFAR_RESNET, 164, 100, 3, null, null, false),
                new ModelSpec(ModelSpec.RESNET, 18, 10, 3, null, null, false),
                new ModelSpec(ModelSpec.RESNET, 50, 10, 3, null, null, true));
        assertEquals(5, specs.size());
        for (ModelSpec spec : specs) {
            try (NDManager manager = NDManager.newBaseManager()) {
                Block net = Models.build(spec, TestNorms.bn(), TestNorms.bn());
                net.initialize(manager, DataType.FLOAT32, new Shape(1, spec.inChannels(), 32, 32));
                CpuConvolutions.check(net);
            }
        }
    }

    @Test
    void theCheckNamesTheFirstWrongConvolution() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block net = smallNet(4, 5);
            net.initialize(manager, DataType.FLOAT32, new Shape(2, 3, 12, 12));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CpuConvolutions.check(net));
            assertTrue(e.getMessage().startsWith("layer 01Conv2d convolves 3 to 4 channels; layer 03Conv2d convolves 4 to 5 "
                    + "channels: on CPU"), e.getMessage());
            assertTrue(e.getMessage().contains("multiple of 16"), e.getMessage());
        }
    }

    /** ResNet-8 with each shortcut (grey images at batch 16, colour at batch 2): every gradient as float64's. */
    @Test
    void resNetGradientsMatchFloat64() {
        List<ModelSpec> specs = List.of(new ModelSpec(ModelSpec.CIFAR_RESNET, 8, 10, 1, Shortcut.A, null, false),
                new ModelSpec(ModelSpec.CIFAR_RESNET, 8, 10, 3, Shortcut.B, null, false));
        int[] batches = {16, 2};
        for (int i = 0; i < specs.size(); i++) {
            ModelSpec spec = specs.get(i);
            double error = worstGradientError(() -> Models.build(spec, TestNorms.bn(), TestNorms.bn()),
                    new Shape(batches[i], spec.inChannels(), 16, 16));
            assertTrue(error < 1e-3, spec + " at batch " + batches[i] + ": float32 gradients off by " + error + " of their scale");
        }
    }

    /**
     * Every convolution the built-in models have (stems, 3x3 units, strided and 1x1 projection
     * shortcuts; batch 2 and 16), alone, with NaN left in freed memory first: input and weight
     * gradients as in float64 in every run.
     */
    @Test
    void theConvolutionsOfTheModelsComputeCorrectlyEvenOnDirtyMemory() {
        int[][] convs = { // in, out, kernel, stride, padding, size
            {1, 16, 3, 1, 1, 16}, {3, 16, 3, 1, 1, 32}, {3, 64, 7, 2, 3, 32}, {16, 16, 3, 1, 1, 16}, {16, 32, 3, 2, 1, 16},
            {16, 32, 1, 2, 0, 16}, {32, 32, 3, 1, 1, 8}, {32, 64, 3, 2, 1, 8}, {32, 64, 1, 2, 0, 8}, {64, 64, 3, 1, 1, 4},
            {64, 16, 1, 1, 0, 8}, {16, 64, 1, 1, 0, 8}};
        int checked = 0;
        for (int[] c : convs) {
            for (int batch : new int[] {2, 16}) {
                assertTrue(CpuConvolutions.safe(c[0], c[1]));
                int wrong = wrongRuns(batch, c[0], c[1], c[2], c[3], c[4], c[5]);
                assertEquals(0, wrong, String.format("conv %d->%d k%d s%d p%d on %dx%d, batch %d: wrong in %d runs of " + RUNS,
                        c[0], c[1], c[2], c[3], c[4], c[5], c[5], batch, wrong));
                checked++;
            }
        }
        assertEquals(24, checked);
    }

    /**
     * The engine bug itself, still there: a 4-to-5-channel convolution's input gradient is far
     * off (NaN from the dirty memory) on the CPUs NormLab runs on. When this fails the engine
     * was fixed, or this CPU takes other kernels: rerun bench/onednn/ConvGradCheck.java and relax
     * {@link CpuConvolutions}.
     */
    @Test
    void theEngineStillComputesUnalignedChannelsWrongly() throws Exception {
        String cpu = Files.readString(Path.of("/proc/cpuinfo"));
        org.junit.jupiter.api.Assumptions.assumeTrue(cpu.contains(" avx2 "), "oneDNN's JIT kernels need AVX2");
        assertFalse(CpuConvolutions.safe(4, 5));
        assertTrue(wrongRuns(4, 4, 5, 3, 1, 0, 24) > 0, "conv 4->5 on CPU computed its gradients correctly "
                + RUNS + " times of " + RUNS + ": the engine bug is gone?");
    }

    /** Of RUNS runs of one convolution's backward pass, each after dirtying freed memory: how many were wrong. */
    private static int wrongRuns(int batch, int in, int out, int k, int stride, int padding, int size) {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Random random = new Random(5);
            Shape input = new Shape(batch, in, size, size);
            Shape kernel = new Shape(out, in, k, k);
            double[] x = random.doubles(input.size()).map(v -> v - 0.5).toArray();
            double[] w = random.doubles(kernel.size()).map(v -> v - 0.5).toArray();
            double[] expected = convGradients(manager, x, w, input, kernel, stride, padding, DataType.FLOAT64);
            int wrong = 0;
            for (int run = 0; run < RUNS; run++) {
                poisonFreedMemory(manager);
                double[] got = convGradients(manager, x, w, input, kernel, stride, padding, DataType.FLOAT32);
                int split = (int) input.size();
                double error = Math.max(relativeError(Arrays.copyOf(got, split), Arrays.copyOf(expected, split)),
                        relativeError(Arrays.copyOfRange(got, split, got.length), Arrays.copyOfRange(expected, split,
                                expected.length)));
                wrong += error > 1e-4 ? 1 : 0;
            }
            return wrong;
        }
    }

    /** The input and weight gradients of sum(conv(x, w)^2), one after the other, computed in the given type. */
    private static double[] convGradients(NDManager manager, double[] x, double[] w, Shape input, Shape kernel, int stride,
            int padding, DataType type) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray xs = scope.create(x, input).toType(type, false);
            NDArray ws = scope.create(w, kernel).toType(type, false);
            xs.setRequiresGradient(true);
            ws.setRequiresGradient(true);
            try (GradientCollector collector = scope.getEngine().newGradientCollector()) {
                NDArray y = Conv2d.conv2d(xs, ws, null, new Shape(stride, stride), new Shape(padding, padding),
                        new Shape(1, 1), 1).singletonOrThrow();
                collector.backward(y.mul(y).sum());
            }
            double[] dx = doubles(xs.getGradient());
            double[] dw = doubles(ws.getGradient());
            double[] both = Arrays.copyOf(dx, dx.length + dw.length);
            System.arraycopy(dw, 0, both, dx.length, dw.length);
            return both;
        }
    }

    private static double relativeError(double[] got, double[] expected) {
        double scale = 1e-12;
        double worst = 0;
        for (double v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < expected.length; i++) {
            worst = Double.isNaN(got[i]) ? Double.POSITIVE_INFINITY : Math.max(worst, Math.abs(got[i] - expected[i]) / scale);
        }
        return worst;
    }

    private static Block smallNet(int first, int second) {
        return new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(first).build())
                .add(Activation::relu)
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(second).build());
    }

    /**
     * Sum of squared outputs, backward, in float32 and in float64 from the same parameters and
     * input: the largest difference of any gradient (the input's included) over that gradient's
     * largest float64 magnitude.
     */
    private static double worstGradientError(Supplier<Block> model, Shape input) {
        Map<String, double[]> single = gradients(model, input, false);
        Map<String, double[]> dbl = gradients(model, input, true);
        assertEquals(dbl.keySet(), single.keySet());
        double worst = 0;
        for (String name : dbl.keySet()) {
            double[] ref = dbl.get(name);
            double[] got = single.get(name);
            double scale = 1e-12;
            for (double v : ref) {
                scale = Math.max(scale, Math.abs(v));
            }
            for (int i = 0; i < ref.length; i++) {
                double d = Math.abs(got[i] - ref[i]) / scale;
                worst = Double.isNaN(got[i]) ? Double.POSITIVE_INFINITY : Math.max(worst, d);
            }
        }
        return worst;
    }

    private static Map<String, double[]> gradients(Supplier<Block> model, Shape input, boolean float64) {
        Map<String, double[]> out = new LinkedHashMap<>();
        Engine.getInstance().setRandomSeed(5);
        Block net = model.get();
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            net.initialize(manager, DataType.FLOAT32, input);
            if (float64) { // the same model in float64 with the float32 model's starting values
                Block source = net;
                net = model.get();
                net.initialize(manager, DataType.FLOAT64, input);
                ai.djl.nn.ParameterList from = source.getParameters();
                ai.djl.nn.ParameterList to = net.getParameters();
                for (int i = 0; i < from.size(); i++) {
                    double[] values = doubles(from.get(i).getValue().getArray());
                    to.get(i).getValue().getArray().set(java.nio.DoubleBuffer.wrap(values));
                }
            }
            Random random = new Random(9);
            float[] data = new float[(int) input.size()];
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) random.nextGaussian();
            }
            NDArray x = manager.create(data, input).toType(float64 ? DataType.FLOAT64 : DataType.FLOAT32, false);
            x.setRequiresGradient(true);
            poisonFreedMemory(manager);
            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                NDArray y = net.forward(new ParameterStore(manager, false), new NDList(x), true).singletonOrThrow();
                collector.backward(y.mul(y).sum());
            }
            out.put("input", doubles(x.getGradient()));
            for (Pair<String, Parameter> p : net.getParameters()) {
                if (p.getValue().requiresGradient()) {
                    out.put(p.getKey(), doubles(p.getValue().getArray().getGradient()));
                }
            }
        }
        return out;
    }

    /**
     * Leaves NaN in memory the allocator hands out next: the engine bug reads memory nobody
     * wrote (a padded layout's spare channels), which in a fresh process is often zero and
     * hides it.
     */
    private static void poisonFreedMemory(NDManager manager) {
        for (long size = 1024; size <= 4 << 20; size *= 2) {
            manager.full(new Shape(size), Float.NaN).close();
        }
    }

    private static double[] doubles(NDArray a) {
        return a.toType(DataType.FLOAT64, false).toDoubleArray();
    }
}

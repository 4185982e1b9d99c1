package org.normlab.norm.iebn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.normlab.norm.NormRegistry;
import org.normlab.norm.RunningStats;
import org.normlab.norm.Standardizable;
import org.normlab.norm.Standardizer;
import org.normlab.norm.WatchedBatchStep;
import org.normlab.norm.testing.NativeChurn;

/**
 * The fused path (plain batch step) against the generic one (x_hat from the engine's batch norm
 * kernel, then the gate as separate ops), forced by a step equal to the plain one in value but
 * not the same object. Two independent computations of the same formula must agree on the
 * output, the input gradient, every parameter gradient, the running statistics and the eval
 * output; in float64 they agree to rounding.
 */
class FusedPathTest {

    private static final NormRegistry REGISTRY = NormRegistry.load();

    private static final AtomicInteger GENERIC_STEPS = new AtomicInteger();

    /** A step that is {@link Standardizer#BATCH} in value only: the layer takes the generic path. */
    private static final Standardizer SAME_AS_BATCH = (x, stats, training) -> {
        GENERIC_STEPS.incrementAndGet();
        return Standardizer.BATCH.standardize(x, stats, training);
    };

    @Test
    void imagesInFloat64() {
        assertSamePaths(new Shape(6, 4, 5, 3), DataType.FLOAT64, true, 1.5, 1e-10);
    }

    @Test
    void imagesInFloat32() {
        assertSamePaths(new Shape(16, 8, 7, 7), DataType.FLOAT32, true, 1.5, 1e-4);
    }

    @Test
    void largeMapsTakeTheAffineKernelAndMatchToo() {
        long side = (long) Math.ceil(Math.sqrt(IebnLayer.KERNEL_MIN_MAP_SIZE));
        assertSamePaths(new Shape(3, 2, side, side + 1), DataType.FLOAT64, true, 1.5, 1e-10);
        assertSamePaths(new Shape(3, 2, side, side + 1), DataType.FLOAT64, false, 0.5, 1e-10);
        assertSamePaths(new Shape(4, 3, side, side), DataType.FLOAT32, true, 1.5, 1e-4);
    }

    @Test
    void withoutAffine() {
        assertSamePaths(new Shape(6, 4, 5, 3), DataType.FLOAT64, false, 0.5, 1e-10);
    }

    @Test
    void sequencesAndOneByOneMapsAndFlatFeatures() {
        assertSamePaths(new Shape(5, 3, 9), DataType.FLOAT64, true, 0.5, 1e-10);
        assertSamePaths(new Shape(8, 6, 1, 1), DataType.FLOAT64, true, 0.5, 1e-10);
        assertSamePaths(new Shape(8, 6), DataType.FLOAT64, true, 0.5, 1e-10);
    }

    @Test
    void anAllZeroFeatureMapGetsFiniteGradients() {
        // An all-zero (sample, channel) map: its sum of squares is 0, where a norm's backward
        // divides by 0.
        Run generic = run(new Shape(4, 3, 4, 4), DataType.FLOAT64, true, 0, true, 3L, true);
        Run fused = run(new Shape(4, 3, 4, 4), DataType.FLOAT64, true, 0, false, 3L, true);
        fused.values.forEach((k, v) -> assertTrue(allFinite(v), k + " is not finite"));
        assertClose(generic, fused, 1e-10);
    }

    @Test
    void gradientsSurviveGarbageCollectionBetweenForwardAndBackward() {
        // DJL's NDArray-Number overloads put the number in a Java buffer that autograd still
        // reads in the backward pass after the garbage collector freed it; the fused path must
        // not depend on such arrays. Churn memory between forward and backward, then compare.
        Run generic = run(new Shape(8, 4, 3, 3), DataType.FLOAT32, true, 1, true, 5L, false);
        Run fused = run(new Shape(8, 4, 3, 3), DataType.FLOAT32, true, 1, false, 5L, false, NativeChurn::churn);
        assertClose(generic, fused, 1e-4);
    }

    @Test
    void aNonContiguousInputIsHandled() {
        // x of shape (N, C, W, H) from a transposed (N, C, H, W) array: not contiguous.
        Run generic = run(new Shape(6, 3, 4, 5), DataType.FLOAT64, true, 1, true, 7L, false, null, true);
        Run fused = run(new Shape(6, 3, 4, 5), DataType.FLOAT64, true, 1, false, 7L, false, null, true);
        assertClose(generic, fused, 1e-10);
    }

    @Test
    void thePlainStepTakesTheFusedPathInEvalAndOnLargeInputsInTraining() {
        // Which path ran, told by a watched plain step: the generic path standardizes through
        // it, the fused one only shows it x.
        AtomicInteger standardized = new AtomicInteger();
        WatchedBatchStep watched = new WatchedBatchStep() {
            @Override
            public void watch(NDArray x, RunningStats stats, boolean training) {}

            @Override
            public NDArray standardize(NDArray x, RunningStats stats, boolean training) {
                standardized.incrementAndGet();
                return WatchedBatchStep.super.standardize(x, stats, training);
            }
        };
        long largest = IebnLayer.FUSED_MIN_SIZE; // 16 x 8 x 32 x 32 values
        for (Shape shape : new Shape[] {new Shape(16, 8, 32, 32), new Shape(16, 8, 32, 31), new Shape(16, 16, 16, 16)}) {
            try (NDManager manager = NDManager.newBaseManager()) {
                Block block = iebn(manager, shape, DataType.FLOAT32, true);
                ((Standardizable) block).setStandardizer(watched);
                int before = standardized.get();
                block.forward(new ParameterStore(manager, false), new NDList(manager.randomNormal(shape)), true);
                assertEquals(shape.size() >= largest ? 0 : 1, standardized.get() - before, shape.toString());
                block.forward(new ParameterStore(manager, false), new NDList(manager.randomNormal(shape)), false);
                assertEquals(shape.size() >= largest ? 0 : 1, standardized.get() - before, shape + " in eval");
            }
        }
        assertEquals(2, standardized.get(), "one generic training forward of the two small inputs each, none in eval");
    }

    private static void assertSamePaths(Shape shape, DataType type, boolean affine, double offset, double tol) {
        int before = GENERIC_STEPS.get();
        Run generic = run(shape, type, affine, offset, true, 11L, false);
        // the comparison is not vacuous: one train and one eval call went through the step
        assertEquals(before + 2, GENERIC_STEPS.get());
        Run fused = run(shape, type, affine, offset, false, 11L, false);
        assertEquals(before + 2, GENERIC_STEPS.get(), "the plain step must take the fused path");
        assertClose(generic, fused, tol);
    }

    private static void assertClose(Run expected, Run actual, double tol) {
        assertEquals(expected.values.keySet(), actual.values.keySet());
        for (Map.Entry<String, double[]> e : expected.values.entrySet()) {
            double[] want = e.getValue();
            double[] got = actual.values.get(e.getKey());
            double scale = 0;
            for (double v : want) {
                scale = Math.max(scale, Math.abs(v));
            }
            // DJL hands the kernel 1 - (1 - momentum) computed in float: the generic path's
            // running statistics carry an error of float precision times the update (up to
            // 2e-7 of the running value when the batch mean is ~10x the running mean).
            double t = e.getKey().startsWith("running") ? Math.max(tol, 3e-7) : tol;
            for (int i = 0; i < want.length; i++) {
                double err = Math.abs(got[i] - want[i]);
                assertTrue(err <= t * Math.max(scale, 1e-3),
                        String.format("%s[%d]: fused %s, generic %s (tolerance %s of %s)", e.getKey(), i, got[i], want[i], t, scale));
            }
        }
        assertTrue(expected.values.size() >= 7, "compared too little: " + expected.values.keySet());
    }

    /** Outputs, gradients and running statistics of one training step and one eval pass. */
    private record Run(Map<String, double[]> values) {}

    private static Run run(Shape shape, DataType type, boolean affine, double offset, boolean generic, long seed, boolean zeroMap) {
        return run(shape, type, affine, offset, generic, seed, zeroMap, null, false);
    }

    private static Run run(
            Shape shape, DataType type, boolean affine, double offset, boolean generic, long seed, boolean zeroMap,
            Runnable betweenForwardAndBackward) {
        return run(shape, type, affine, offset, generic, seed, zeroMap, betweenForwardAndBackward, false);
    }

    private static Run run(
            Shape shape, DataType type, boolean affine, double offset, boolean generic, long seed, boolean zeroMap,
            Runnable betweenForwardAndBackward, boolean transposed) {
        Map<String, double[]> values = new LinkedHashMap<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed((int) seed);
            Block block = iebn(manager, shape, type, affine);
            randomizeParameters(block, manager, type);
            if (generic) {
                ((Standardizable) block).setStandardizer(SAME_AS_BATCH);
            } else {
                ((IebnLayer) block).fusedMinSize = 0; // fused at any size
            }
            Shape stored = transposed ? new Shape(shape.get(0), shape.get(1), shape.get(3), shape.get(2)) : shape;
            NDArray x0 = manager.randomNormal(stored).mul(2).add(offset).toType(type, false);
            if (zeroMap) {
                float[] data = x0.toType(DataType.FLOAT32, false).toFloatArray();
                int perMap = (int) (shape.size() / (shape.get(0) * shape.get(1)));
                java.util.Arrays.fill(data, perMap, 2 * perMap, 0f); // sample 0, channel 1
                x0 = manager.create(data, stored).toType(type, false);
            }
            NDArray upstream = manager.randomNormal(shape).toType(type, false);
            Map<Parameter, NDArray> runningBefore = new LinkedHashMap<>();
            for (Parameter p : block.getParameters().values()) {
                if (!p.requiresGradient()) {
                    runningBefore.put(p, p.getArray().duplicate());
                }
            }
            x0.setRequiresGradient(true);
            ParameterStore store = new ParameterStore(manager, false);
            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                // x as a non-leaf, as in a network: an op of x0, the gradient read off x0
                NDArray x = transposed ? x0.swapAxes(2, 3) : x0.mul(manager.ones(new Shape(1), type));
                NDArray y = block.forward(store, new NDList(x), true).singletonOrThrow();
                if (betweenForwardAndBackward != null) {
                    betweenForwardAndBackward.run();
                }
                collector.backward(y.mul(upstream).sum());
                values.put("y", doubles(y));
            }
            NDArray gradX = x0.getGradient();
            values.put("grad_x", doubles(transposed ? gradX.swapAxes(2, 3) : gradX));
            for (Pair<String, Parameter> p : block.getParameters()) {
                NDArray array = p.getValue().getArray();
                values.put(p.getKey(), doubles(p.getValue().requiresGradient() ? array.getGradient() : array));
            }
            // eval on the running statistics from before the step, which the two paths update
            // in the last bit differently (see assertClose)
            runningBefore.forEach((p, v) -> p.getArray().set(v.toByteBuffer()));
            // eval with gradients too (attacks and saliency differentiate through eval mode)
            for (Parameter p : block.getParameters().values()) {
                if (p.requiresGradient()) {
                    p.getArray().getGradient().muli(0);
                }
            }
            NDArray xe = x0.stopGradient().duplicate();
            xe.setRequiresGradient(true);
            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                NDArray x = transposed ? xe.swapAxes(2, 3) : xe.mul(manager.ones(new Shape(1), type));
                NDArray y = block.forward(store, new NDList(x), false).singletonOrThrow();
                collector.backward(y.mul(upstream).sum());
                values.put("eval_y", doubles(y));
            }
            NDArray evalGradX = xe.getGradient();
            values.put("eval_grad_x", doubles(transposed ? evalGradX.swapAxes(2, 3) : evalGradX));
            for (Pair<String, Parameter> p : block.getParameters()) {
                if (p.getValue().requiresGradient()) {
                    values.put("eval_grad_" + p.getKey(), doubles(p.getValue().getArray().getGradient()));
                }
            }
        }
        return new Run(values);
    }

    private static Block iebn(NDManager manager, Shape shape, DataType type, boolean affine) {
        Block block = REGISTRY.factory("iebn", Map.of("affine", affine)).create((int) shape.get(1));
        block.initialize(manager, type, shape);
        return block;
    }

    /** Away from the initial values (w = 0 would hide the gate's input), running stats included. */
    private static void randomizeParameters(Block block, NDManager manager, DataType type) {
        for (Parameter p : block.getParameters().values()) {
            NDArray r = manager.randomUniform(0.5f, 1.5f, p.getShape());
            NDArray value = switch (p.getName()) {
                case "runningMean", "beta", "biasReadjust" -> r.sub(1);
                case "weightReadjust" -> r.sub(1).mul(2);
                default -> r; // gamma, runningVar
            };
            p.getArray().set(value.toType(type, false).toByteBuffer());
        }
    }

    private static boolean allFinite(double[] v) {
        for (double d : v) {
            if (!Double.isFinite(d)) {
                return false;
            }
        }
        return true;
    }

    private static double[] doubles(NDArray a) {
        return a.toType(DataType.FLOAT64, false).toDoubleArray();
    }
}

package org.normlab.models.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import java.util.Locale;

/**
 * One 3x3 convolution (no bias, padding 1, channels in = out) in training: forward and backward
 * (gradient of ones) timed apart, median of 31 steps after 10 warm-up steps. The engine's
 * primitive, with nothing of NormLab in it; {@code bench/conv_peer.py} times the same in
 * PyTorch eager, so the two say how much of a training-speed gap is the engine's. Not a JUnit
 * test; run as
 * <pre>
 *   java -Dai.djl.offline=true -cp &lt;models test classpath, as for NormBench&gt; \
 *       org.normlab.models.bench.ConvBench [NxCxHxW ...]      (default 128x16x28x28 128x16x32x32)
 * </pre>
 */
public final class ConvBench {

    private static final int WARMUP = 10;
    private static final int STEPS = 31;

    private ConvBench() {}

    public static void main(String[] args) {
        String[] shapes = args.length > 0 ? args : new String[] {"128x16x28x28", "128x16x32x32"};
        for (String spec : shapes) {
            measure(parseShape(spec), spec);
        }
    }

    /** "128x16x32x32" as a shape. */
    static Shape parseShape(String spec) {
        return new Shape(Arrays.stream(spec.split("x")).mapToLong(Long::parseLong).toArray());
    }

    private static void measure(Shape shape, String spec) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block conv = Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1))
                    .setFilters((int) shape.get(1)).optBias(false).build();
            conv.initialize(manager, DataType.FLOAT32, shape);
            ParameterStore store = new ParameterStore(manager, false);
            NDArray input = manager.randomNormal(shape);
            double[] forward = new double[STEPS];
            double[] backward = new double[STEPS];
            for (int i = -WARMUP; i < STEPS; i++) {
                try (NDManager scope = manager.newSubManager();
                        GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    input.tempAttach(scope); // everything the step makes is freed with the scope
                    long start = System.nanoTime();
                    NDArray y = conv.forward(store, new NDList(input), true).singletonOrThrow();
                    long forwardDone = System.nanoTime();
                    collector.backward(y);
                    long backwardDone = System.nanoTime();
                    if (i >= 0) {
                        forward[i] = (forwardDone - start) / 1e6;
                        backward[i] = (backwardDone - forwardDone) / 1e6;
                    }
                }
            }
            Arrays.sort(forward);
            Arrays.sort(backward);
            System.out.printf(Locale.ROOT, "CONV engine=djl-libtorch-%s in=%s forward_ms=%.2f backward_ms=%.2f%n",
                    Engine.getInstance().getVersion(), spec, forward[STEPS / 2], backward[STEPS / 2]);
        }
    }
}

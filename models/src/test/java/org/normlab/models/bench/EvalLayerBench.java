package org.normlab.models.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.normlab.norm.NormRegistry;

/**
 * Where IEBN's eval time goes, per layer, by default at ResNet-20's three feature-map sizes
 * (batch 128):
 * a 3x3 convolution for scale, BN, IEBN, and IEBN's own passes over x (the spatial sum that
 * pools the gate; the per-(n, c) affine as the batch-norm kernel on x viewed as (1, N*C, L)
 * and as a broadcast multiply-add). IEBN minus those passes is the cost of its small calls.
 * Median of 61 timed calls after 20 warm-up calls, wall clock. Not a JUnit test; run as
 * <pre>
 *   MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=2147483647 MALLOC_TOP_PAD_=268435456 \
 *   java -Dai.djl.offline=true -cp &lt;models test classpath, as for NormBench&gt; \
 *       org.normlab.models.bench.EvalLayerBench [NxCxHxW ...]
 * </pre>
 */
public final class EvalLayerBench {

    private static final String[] RESNET20_SHAPES = {"128x16x32x32", "128x32x16x16", "128x64x8x8"};

    private EvalLayerBench() {}

    public static void main(String[] args) {
        NormRegistry registry = NormRegistry.load();
        for (String spec : args.length > 0 ? args : RESNET20_SHAPES) {
            Shape shape = ConvBench.parseShape(spec);
            for (int rep = 1; rep <= 3; rep++) { // the first repetition still warms up
                measure(registry, shape, rep);
            }
        }
    }

    private static void measure(NormRegistry registry, Shape shape, int rep) {
        int channels = (int) shape.get(1);
        long rows = shape.get(0) * channels;
        long length = shape.size() / rows;
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.randomNormal(shape);
            ParameterStore store = new ParameterStore(manager, false);
            Block conv = Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1))
                    .setFilters(channels).build();
            Block bn = registry.factory("bn", Map.of()).create(channels);
            Block iebn = registry.factory("iebn", Map.of()).create(channels);
            for (Block b : new Block[] {conv, bn, iebn}) {
                b.initialize(manager, DataType.FLOAT32, shape);
            }
            NDArray scale = manager.randomNormal(new Shape(rows));
            NDArray shift = manager.randomNormal(new Shape(rows));
            NDArray zeros = manager.zeros(new Shape(rows));
            NDArray ones = manager.ones(new Shape(rows));
            Shape perMap = new Shape(shape.get(0), channels, 1, 1);
            System.out.printf(Locale.ROOT,
                    "%s rep %d: conv %.0f us  bn %.0f  iebn %.0f  | iebn's passes: sum %.0f  kernel affine %.0f  broadcast affine %.0f%n",
                    shape, rep,
                    median(x, () -> forward(conv, store, x)),
                    median(x, () -> forward(bn, store, x)),
                    median(x, () -> forward(iebn, store, x)),
                    median(x, () -> x.sum(new int[] {2, 3})),
                    median(x, () -> {
                        NDArray rowsView = x.reshape(1, rows, length);
                        return rowsView.getNDArrayInternal()
                                .batchNorm(rowsView, zeros, ones, scale, shift, -1, 1f, 0f, false)
                                .singletonOrThrow();
                    }),
                    median(x, () -> x.mul(scale.reshape(perMap)).addi(shift.reshape(perMap))));
        }
    }

    private static NDArray forward(Block block, ParameterStore store, NDArray x) {
        return block.forward(store, new NDList(x), false).singletonOrThrow();
    }

    /**
     * Median microseconds of op on x. x is moved into a scope for each call, so that everything
     * the call creates (intermediates included) is freed after it: left in x's manager, a few
     * MB per call pile up and the page faults swamp the measurement.
     */
    private static double median(NDArray x, Supplier<NDArray> op) {
        double[] micros = new double[61];
        for (int i = -20; i < micros.length; i++) {
            long start = System.nanoTime();
            try (NDManager scope = x.getManager().newSubManager()) {
                x.tempAttach(scope); // back to its manager when the scope closes
                op.get().attach(scope);
            }
            if (i >= 0) {
                micros[i] = (System.nanoTime() - start) / 1e3;
            }
        }
        Arrays.sort(micros);
        return micros[micros.length / 2];
    }
}

package org.normlab.norm.noise;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import java.util.List;
import org.normlab.norm.NormOption;
import org.normlab.norm.NormOptions;
import org.normlab.norm.NormRegistry;
import org.normlab.norm.NormSpec;
import org.normlab.norm.RunningStats;
import org.normlab.norm.Standardizer;

/**
 * {@code ghost}: ghost batch norm (as DJL's {@code GhostBatchNorm}). In training the batch is
 * cut along axis 0 into virtual batches of {@code size} samples (the last one smaller when the
 * batch is not a multiple), and each is standardized with its own statistics, which adds batch
 * noise. The running statistics are updated once per virtual batch, in order, as if they were
 * consecutive small batches (DJL does the same). A batch of at most {@code size} samples is
 * plain batch norm exactly, running statistics and gradients included. Eval uses the running
 * statistics, so virtual batches play no part there.
 */
public final class GhostBatchProvider extends StandardizerWrapper {

    public static final NormOption SIZE =
            NormOption.integer("size", 32, 1, Integer.MAX_VALUE, "samples per virtual batch");

    @Override
    public String name() {
        return "ghost";
    }

    @Override
    public String description() {
        return "ghost batch norm: batch statistics over virtual batches of 'size' samples (default 32)";
    }

    @Override
    protected List<NormOption> wrapperOptions() {
        return List.of(SIZE);
    }

    /** Each virtual batch is normalized on its own: {@code size} samples, or fewer when the batch or the inner norm's parts are smaller. */
    @Override
    public int normalizationBatch(NormOptions options, int batchSize, NormRegistry registry) {
        return Math.min(options.getInt(SIZE.name()), super.normalizationBatch(options, batchSize, registry));
    }

    @Override
    protected Standardizer decorate(Standardizer inner, NormSpec spec) {
        return new GhostBatches(inner, spec.options().getInt(SIZE.name()));
    }

    /** Runs the inner step on each virtual batch and joins the results. */
    static final class GhostBatches implements Standardizer {

        private final Standardizer inner;
        private final int size;

        GhostBatches(Standardizer inner, int size) {
            this.inner = inner;
            this.size = size;
        }

        @Override
        public NDArray standardize(NDArray x, RunningStats stats, boolean training) {
            long batch = x.getShape().get(0);
            if (!training || batch <= size) {
                return inner.standardize(x, stats, training);
            }
            long[] cuts = new long[(int) ((batch - 1) / size)];
            for (int i = 0; i < cuts.length; i++) {
                cuts[i] = (long) (i + 1) * size;
            }
            NDList standardized = new NDList();
            for (NDArray chunk : x.split(cuts, 0)) {
                standardized.add(inner.standardize(chunk, stats, true));
            }
            return NDArrays.concat(standardized, 0);
        }

        @Override
        public Standardizer decorated() {
            return inner;
        }

        @Override
        public String toString() {
            return "ghost(size=" + size + ", " + inner + ")";
        }
    }
}

package org.normlab.norm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.EnumSet;
import java.util.Set;

/** {@link Standardizer#BATCH}: the engine's fused batch-norm kernel with unit scale, zero shift. */
final class BatchStandardizer implements Standardizer {

    @Override
    public NDArray standardize(NDArray x, RunningStats stats, boolean training) {
        NDManager manager = x.getManager();
        Shape channels = stats.mean().getShape();
        NDArray ones = manager.ones(channels, x.getDataType());
        NDArray zeros = manager.zeros(channels, x.getDataType());
        return RunningStats.fusedBatchNorm(x, stats, ones, zeros, training);
    }

    /** The fused kernel updates the running mean and the unbiased running variance, as PyTorch's. */
    @Override
    public Set<RunningStatistic> keeps() {
        return EnumSet.allOf(RunningStatistic.class);
    }

    @Override
    public String toString() {
        return "batch";
    }
}

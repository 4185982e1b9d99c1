package org.normlab.norm;

import ai.djl.ndarray.NDArray;
import java.util.EnumSet;
import java.util.Set;

/** {@link Standardizer#BATCH}: the engine's fused batch-norm kernel with unit scale, zero shift. */
final class BatchStandardizer implements Standardizer {

    @Override
    public NDArray standardize(NDArray x, RunningStats stats, boolean training) {
        long channels = x.getShape().get(1);
        return RunningStats.fusedBatchNorm(
                x, stats, EngineConstants.ones(x, channels), EngineConstants.zeros(x, channels), training);
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

package org.example.mobn;

import ai.djl.ndarray.NDArray;
import java.util.Set;
import org.normlab.norm.RunningStatistic;
import org.normlab.norm.RunningStats;
import org.normlab.norm.Standardizer;

/**
 * The batch-normalized step of mean-only BN: x - (batch mean) in training, which also folds the
 * batch mean into the running mean (PyTorch's momentum convention), and x - (running mean) in eval.
 */
final class MeanOnlyStep implements Standardizer {

    static final MeanOnlyStep INSTANCE = new MeanOnlyStep();

    private MeanOnlyStep() {}

    @Override
    public NDArray standardize(NDArray x, RunningStats stats, boolean training) {
        NDArray mean = training ? RunningStats.channelMean(x) : stats.mean();
        if (training) {
            stats.update(mean, null, RunningStats.countPerChannel(x)); // no running variance to update
        }
        return x.sub(mean.reshape(RunningStats.broadcastShape(x)));
    }

    /** The running mean, as PyTorch keeps it; there is no variance. */
    @Override
    public Set<RunningStatistic> keeps() {
        return Set.of(RunningStatistic.MEAN);
    }

    @Override
    public String toString() {
        return "mean-only";
    }
}

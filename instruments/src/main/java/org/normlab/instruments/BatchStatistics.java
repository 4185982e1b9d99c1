package org.normlab.instruments;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.util.List;
import org.normlab.norm.RunningStats;
import org.normlab.norm.Standardizer;

/**
 * Evaluation with batch statistics (Wu and Johnson 2021, "batch" at test time): while installed,
 * every norm layer with running statistics normalizes each eval batch with that batch's own
 * mean and biased variance, as in training, and its running statistics are neither used nor
 * written. Call the model in eval mode ({@code training = false}): the rest of the model stays in
 * eval mode, and gradients are whatever the caller's collector makes of it.
 *
 * <p>The layers' steps are replaced by the plain batch step for the duration, so noise wrappers
 * are not applied: this is an evaluation, and runs clean as eval does for the default attacks
 * (constant with eval=false, gaussian); a ghost wrapper's virtual batches play no part, the
 * normalization batch is the eval batch. Each layer's own arithmetic around the step (affine,
 * IEBN's gate) is unchanged.
 *
 * <p>Use: {@code try (BatchStatistics b = BatchStatistics.install(model)) { evaluate }}.
 */
public final class BatchStatistics implements AutoCloseable {

    /** Batch normalization into scratch running statistics, so the real ones stay as they are. */
    private static final Standardizer BATCH_ONLY = (x, stats, training) -> {
        NDManager manager = x.getManager();
        NDArray scratchMean = manager.zeros(stats.mean().getShape(), stats.mean().getDataType());
        NDArray scratchVar = manager.ones(stats.var().getShape(), stats.var().getDataType());
        RunningStats scratch = new RunningStats(scratchMean, scratchVar, stats.eps(), stats.momentum());
        return Standardizer.BATCH.standardize(x, scratch, true);
    };

    private final List<NormLayer> layers;
    private final StepSwap swap;

    private BatchStatistics(List<NormLayer> layers) {
        this.layers = layers;
        this.swap = new StepSwap(layers, (layer, step) -> BATCH_ONLY);
    }

    public static BatchStatistics install(Block model) {
        return new BatchStatistics(NormLayers.find(model));
    }

    /** The layers switched to batch statistics; empty when the model has no running statistics. */
    public List<NormLayer> layers() {
        return layers;
    }

    /** Puts the layers' own steps back. */
    @Override
    public void close() {
        swap.close();
    }
}

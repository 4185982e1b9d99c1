package org.normlab.instruments;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.util.List;
import org.normlab.norm.RunningStats;
import org.normlab.norm.Standardizer;

/**
 * Evaluation with batch statistics (Wu and Johnson 2021, "batch" at test time): while installed,
 * every norm layer with running statistics normalizes each eval batch as it does in training,
 * with its own step ({@link NormLayer#ownStep()}: bn's batch mean and biased variance, a mean-only
 * norm's batch mean, a step that uses no statistics the same as in eval), and its running
 * statistics are neither used nor written. Call the model in eval mode ({@code training =
 * false}): the rest of the model stays in eval mode, and gradients are whatever the caller's
 * collector makes of it.
 *
 * <p>The step runs in training mode on scratch running statistics (zeros for the mean, ones for
 * the variance), so noise wrappers are not applied: this is an evaluation, and runs clean as eval
 * does for the default attacks (constant with eval=false, gaussian); a ghost wrapper's virtual
 * batches play no part, the normalization batch is the eval batch. Each layer's own arithmetic
 * around the step (affine, IEBN's gate) is unchanged.
 *
 * <p>Use: {@code try (BatchStatistics b = BatchStatistics.install(model)) { evaluate }}.
 */
public final class BatchStatistics implements AutoCloseable {

    private final List<NormLayer> layers;
    private final StepSwap swap;

    private BatchStatistics(List<NormLayer> layers) {
        this.layers = layers;
        this.swap = new StepSwap(layers, (layer, step) -> new BatchOnly(step.undecorated()));
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

    /** A norm's own step in training mode, into scratch running statistics so the real ones stay as they are. */
    private record BatchOnly(Standardizer own) implements Standardizer {

        @Override
        public NDArray standardize(NDArray x, RunningStats stats, boolean training) {
            NDManager manager = x.getManager();
            NDArray scratchMean = manager.zeros(stats.mean().getShape(), stats.mean().getDataType());
            NDArray scratchVar = stats.var() == null ? null : manager.ones(stats.var().getShape(), stats.var().getDataType());
            RunningStats scratch = new RunningStats(scratchMean, scratchVar, stats.eps(), stats.momentum());
            return own.standardize(x, scratch, true);
        }

        @Override
        public Standardizer undecorated() {
            return own;
        }
    }
}

package org.normlab.instruments;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import org.normlab.norm.RunningStats;
import org.normlab.norm.Standardizer;
import org.normlab.norm.WatchedBatchStep;

/**
 * One norm layer's output during one of {@link BatchNoise}'s passes: the first time the layer's
 * step is shown a training input, the whole layer runs once more on that input (re-entering
 * here, where it only goes on) and the first {@code a} samples of its output are kept.
 *
 * <p>What that extra run costs is kept small, as training's own step is: a layer with the plain
 * batch step keeps its fused path (the step is only watched, {@link WatchedBatchStep}); the extra
 * run's intermediates live in a scratch manager closed right after it, so a pass holds no more
 * than a forward pass does, plus the kept samples.
 */
final class OutputCapture {

    private final NormLayer layer;
    private final ParameterStore store;
    private final long a;
    private final NDManager keep;
    private boolean inside;
    private NDArray output;

    /**
     * @param a how many leading samples of the output to keep
     * @param keep owns the kept samples
     */
    OutputCapture(NormLayer layer, ParameterStore store, long a, NDManager keep) {
        this.layer = layer;
        this.store = store;
        this.a = a;
        this.keep = keep;
    }

    /**
     * The step to install in place of {@code inner} for the pass. The plain batch step is
     * watched: in training it uses the batch's statistics only, so the running statistics that
     * the two runs update (each once) change nothing of the output, and the pass puts them back
     * afterwards. Any other step may read its running statistics in training, so both runs get
     * fresh scratch copies of them and the layer's own stay untouched.
     */
    Standardizer step(Standardizer inner) {
        if (inner == Standardizer.BATCH) {
            WatchedBatchStep watched = (x, stats, training) -> take(x, training);
            return watched;
        }
        return new Standardizer() {
            @Override
            public NDArray standardize(NDArray x, RunningStats stats, boolean training) {
                take(x, training);
                return inner.standardize(x, scratch(stats, x.getManager()), training);
            }

            @Override
            public Standardizer decorated() {
                return inner;
            }
        };
    }

    NormLayer layer() {
        return layer;
    }

    /** The first a samples of the layer's output, owned by keep; null if the layer was not shown a training input. */
    NDArray output() {
        return output;
    }

    private void take(NDArray x, boolean training) {
        if (!training || output != null || inside) {
            return;
        }
        inside = true;
        // The run's arrays (results of ops on x) belong to scratch, freed here, not at the pass's end.
        try (NDManager scratch = x.getManager().newSubManager()) {
            NDList input = new NDList(x);
            input.tempAttach(scratch);
            output = kept(layer.block().forward(store, input, true).singletonOrThrow(), a, keep);
        } finally {
            inside = false;
        }
    }

    /** The first a samples of y, copied into {@code keep}. */
    static NDArray kept(NDArray y, long a, NDManager keep) {
        NDArray copy = y.get("0:" + a).duplicate();
        copy.attach(keep);
        return copy;
    }

    /** Copies of the running statistics; a step without a running variance (mean-only) has none to copy. */
    private static RunningStats scratch(RunningStats stats, NDManager manager) {
        return new RunningStats(copy(stats.mean(), manager), copy(stats.var(), manager), stats.eps(), stats.momentum());
    }

    private static NDArray copy(NDArray statistic, NDManager manager) {
        if (statistic == null) {
            return null;
        }
        NDArray copy = statistic.duplicate();
        copy.attach(manager);
        return copy;
    }
}

package org.normlab.norm;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

/**
 * The part every batch-statistics norm shares: running mean and variance (PyTorch semantics),
 * eps and momentum, and a replaceable {@link Standardizer}; the per-channel plumbing (shapes,
 * broadcasting, saved metadata) is {@link PerChannelBlock}'s. Subclasses add their own
 * parameters and write {@code forwardInternal}; channels are on axis 1.
 */
public abstract class AbstractBatchNormBlock extends PerChannelBlock implements Standardizable {

    protected final float eps;
    protected final float momentum;
    private final Parameter runningMean;
    private final Parameter runningVar;
    private Standardizer standardizer = Standardizer.BATCH;

    /**
     * @param version the subclass's save format version
     * @param options validated options holding {@code eps} and {@code momentum}
     */
    protected AbstractBatchNormBlock(byte version, NormOptions options) {
        super(version);
        this.eps = options.getFloat(BatchNormOptions.EPS.name());
        this.momentum = options.getFloat(BatchNormOptions.MOMENTUM.name());
        runningMean = runningParameter("runningMean", Parameter.Type.RUNNING_MEAN);
        runningVar = runningParameter("runningVar", Parameter.Type.RUNNING_VAR);
    }

    @Override
    public Standardizer getStandardizer() {
        return standardizer;
    }

    @Override
    public void setStandardizer(Standardizer standardizer) {
        this.standardizer = standardizer;
    }

    /**
     * Whether the plain batch step is in use, so a subclass may take a fused fast path. Prefer
     * {@link #fusedPathAllowed}, which also keeps the fused path while the step is only watched.
     */
    protected boolean isPlainBatchStep() {
        return standardizer == Standardizer.BATCH;
    }

    /**
     * Whether a subclass may take its fused fast path on x, which must then stand for
     * {@code standardize(store, x, training)}: true with the plain batch step, and with a
     * {@link WatchedBatchStep}, which is shown x and the running statistics here. When false,
     * take the generic path through {@link #standardize}. Call it once per forward pass, where
     * the fused path would begin.
     */
    protected boolean fusedPathAllowed(ParameterStore store, NDArray x, boolean training) {
        if (standardizer instanceof WatchedBatchStep watched) {
            watched.watch(x, runningStats(store, x, training), training);
            return true;
        }
        return isPlainBatchStep();
    }

    /** The running statistics on the device of {@code x}. */
    protected RunningStats runningStats(ParameterStore store, NDArray x, boolean training) {
        return new RunningStats(
                store.getValue(runningMean, x.getDevice(), training),
                store.getValue(runningVar, x.getDevice(), training),
                eps,
                momentum);
    }

    /**
     * The running statistics as the parameters hold them (their master copy), with eps and
     * momentum: for instruments that read, replace or save them outside a forward pass (precise
     * population statistics, per-layer probes). Writes into these arrays are what the layer uses.
     */
    public RunningStats storedRunningStats() {
        return new RunningStats(runningMean.getArray(), runningVar.getArray(), eps, momentum);
    }

    /** x_hat of x through the current standardizer. */
    protected NDArray standardize(ParameterStore store, NDArray x, boolean training) {
        return standardizer.standardize(x, runningStats(store, x, training), training);
    }
}

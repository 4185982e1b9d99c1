package org.normlab.norm;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.Map;

/**
 * The part every batch-statistics norm shares: a running mean and (unless the norm has none) a
 * running variance (PyTorch semantics), eps and momentum, and a replaceable {@link Standardizer};
 * the per-channel plumbing (shapes, broadcasting, saved metadata) is {@link PerChannelBlock}'s.
 * Subclasses add their own parameters and write {@code forwardInternal}; channels are on axis 1.
 * A norm whose step is not plain BN's installs it in its constructor ({@link #setStandardizer});
 * a norm without a variance (mean-only BN) passes {@code runningVariance = false} and need not
 * declare {@code eps}.
 */
public abstract class AbstractBatchNormBlock extends PerChannelBlock implements Standardizable {

    protected final float eps;
    protected final float momentum;
    private final Parameter runningMean;
    private final Parameter runningVar; // null for a norm without a running variance
    private Standardizer standardizer = Standardizer.BATCH;

    /**
     * A norm with a running mean and a running variance.
     *
     * @param version the subclass's save format version
     * @param options validated options holding {@code momentum} and, unless the norm divides by
     *     nothing, {@code eps} (0 when the norm declares no such option)
     */
    protected AbstractBatchNormBlock(byte version, NormOptions options) {
        this(version, options, true);
    }

    /**
     * @param version the subclass's save format version
     * @param options validated options holding {@code momentum} and, optionally, {@code eps}
     *     (0 when the norm declares no such option)
     * @param runningVariance false for a norm that keeps a running mean only (mean-only BN): the
     *     block then has no {@code runningVar} parameter, its fixture no {@code running_var_*}
     *     keys, and {@link RunningStats#var()} is null
     */
    protected AbstractBatchNormBlock(byte version, NormOptions options, boolean runningVariance) {
        super(version);
        Map<String, Object> values = options.asMap();
        this.eps = values.containsKey(BatchNormOptions.EPS.name()) ? options.getFloat(BatchNormOptions.EPS.name()) : 0f;
        this.momentum = options.getFloat(BatchNormOptions.MOMENTUM.name());
        runningMean = runningParameter("runningMean", Parameter.Type.RUNNING_MEAN);
        runningVar = runningVariance ? runningParameter("runningVar", Parameter.Type.RUNNING_VAR) : null;
    }

    /** Whether the block has a running variance. */
    public boolean hasRunningVariance() {
        return runningVar != null;
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
                runningVar == null ? null : store.getValue(runningVar, x.getDevice(), training),
                eps,
                momentum);
    }

    /**
     * The running statistics as the parameters hold them (their master copy), with eps and
     * momentum: for instruments that read, replace or save them outside a forward pass (precise
     * population statistics, per-layer probes). Writes into these arrays are what the layer uses.
     */
    public RunningStats storedRunningStats() {
        return new RunningStats(runningMean.getArray(), runningVar == null ? null : runningVar.getArray(), eps, momentum);
    }

    /** x_hat of x through the current standardizer. */
    protected NDArray standardize(ParameterStore store, NDArray x, boolean training) {
        return standardizer.standardize(x, runningStats(store, x, training), training);
    }
}

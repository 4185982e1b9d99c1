package org.normlab.norm;

import ai.djl.ndarray.NDArray;
import java.util.Set;

/**
 * The batch-normalized step of a batch norm: turns x into x_hat and, in training, updates the
 * running statistics it keeps. {@link #BATCH} is plain batch normalization, (x - mean) /
 * sqrt(var + eps) per channel; a norm with another step (mean-only BN: x - mean; a step that
 * uses no statistics at all) installs its own in its constructor with {@code
 * setStandardizer(...)}, and noise attacks decorate whichever step is there.
 *
 * <p>Writing one: {@code standardize} gets x (channels on axis 1), the layer's running
 * statistics and whether this is a training pass; in training it may use the batch's own
 * statistics and update the running ones in place, in eval it uses the running ones (or none).
 * Say which running statistics it keeps in {@link #keeps()}: the instruments (PreciseBN,
 * layers.csv's mean_dev and std_logratio) compute only those, with the semantics {@link
 * RunningStatistic} defines, and evaluation with batch statistics ({@code eval.stats: batch})
 * calls this very step in training mode on scratch statistics. A decorator (an attack) returns
 * its inner step's {@link #undecorated()}, so the instruments reach the norm's own step.
 */
@FunctionalInterface
public interface Standardizer {

    /** Plain batch normalization: batch statistics in training, running statistics in eval. */
    Standardizer BATCH = new BatchStandardizer();

    /**
     * @param x the input, channels on axis 1
     * @param stats the layer's running statistics, eps and momentum
     * @param training whether batch statistics are used (and the running ones updated)
     * @return x_hat, the same shape as x
     */
    NDArray standardize(NDArray x, RunningStats stats, boolean training);

    /**
     * The running statistics this step keeps, each exactly as {@link RunningStatistic} defines it
     * (updated in training from x, used in eval in place of the batch's). The default is none:
     * instruments then leave the layer's running statistics alone and report no value that
     * would need them.
     */
    default Set<RunningStatistic> keeps() {
        return decorated() == null ? Set.of() : decorated().keeps();
    }

    /**
     * The step this one decorates (a noise attack's or an instrument's inner step), or null for
     * a norm's own step. Decorators nest (ghost around gaussian around bn): walking this chain
     * reaches every one of them, e.g. to save each one's random stream.
     */
    default Standardizer decorated() {
        return null;
    }

    /**
     * The norm's own step beneath any decorators: this step itself unless it decorates another
     * (noise attacks, instruments), which returns {@code inner.undecorated()}.
     */
    default Standardizer undecorated() {
        return decorated() == null ? this : decorated().undecorated();
    }
}

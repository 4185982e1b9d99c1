package org.normlab.norm;

import ai.djl.ndarray.NDArray;

/**
 * The batch-normalized step of a batch norm: turns x into x_hat (zero mean, unit variance per
 * channel) and, in training, updates the running statistics.
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
}

package org.normlab.instruments;

import ai.djl.ndarray.NDArray;
import org.normlab.norm.RunningStats;

/**
 * The per-channel mean and biased variance of a batch (channels on axis 1), detached and
 * computed on the engine in two passes (the variance from the centred values, which keeps its
 * precision when a channel's mean is large against its spread).
 *
 * @param mean shape (C)
 * @param var shape (C), biased: the one batch normalization divides by
 */
record BatchMoments(NDArray mean, NDArray var) {

    static BatchMoments of(NDArray x) {
        NDArray detached = x.stopGradient();
        NDArray mean = RunningStats.channelMean(detached);
        NDArray centred = detached.sub(mean.reshape(RunningStats.broadcastShape(detached)));
        NDArray var = RunningStats.channelMean(centred.square());
        return new BatchMoments(mean, var);
    }
}

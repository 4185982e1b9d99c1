package org.normlab.norm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * A batch norm's running statistics and the constants that govern them.
 *
 * @param mean running mean, shape (C), updated in place
 * @param var running variance, shape (C), updated in place; null for a norm without one
 *     (mean-only BN, see {@link AbstractBatchNormBlock})
 * @param eps added to the variance before the square root (0 for a norm that declares none)
 * @param momentum in PyTorch's convention: running = (1 - momentum) * running + momentum * batch
 */
public record RunningStats(NDArray mean, NDArray var, float eps, float momentum) {

    /**
     * The engine's fused batch norm: x_hat * gamma + beta with batch (training) or running (eval)
     * statistics; in training it updates the running mean and the unbiased running variance.
     */
    public static NDArray fusedBatchNorm(
            NDArray x, RunningStats stats, NDArray gamma, NDArray beta, boolean training) {
        // DJL's momentum is 1 - PyTorch's; it converts back before calling the kernel. Axis -1
        // hands x straight to the kernel, whose channels are axis 1: DJL wraps any other axis
        // (1 included) in two transposes, which autograd records and undoes, 4 engine calls more
        // per layer and step.
        float djlMomentum = 1f - stats.momentum();
        return x.getNDArrayInternal()
                .batchNorm(x, stats.mean(), stats.var(), gamma, beta, -1, djlMomentum, stats.eps(), training)
                .singletonOrThrow();
    }

    /**
     * Folds a batch's statistics into the running ones, as PyTorch does.
     *
     * @param batchMean per-channel batch mean, shape (C)
     * @param batchVar per-channel biased batch variance, shape (C); ignored (may be null) when
     *     there is no running variance
     * @param count the number of values per channel the statistics were taken over
     */
    public void update(NDArray batchMean, NDArray batchVar, long count) {
        float m = momentum;
        float unbias = count > 1 ? (float) count / (count - 1) : 1f;
        NDArray keep = EngineConstants.scalar(mean, 1 - m);
        try (NDArray newMean = batchMean.stopGradient().mul(EngineConstants.scalar(batchMean, m))) {
            mean.muli(keep).addi(newMean);
        }
        if (var == null) {
            return;
        }
        try (NDArray newVar = batchVar.stopGradient().mul(EngineConstants.scalar(batchVar, m * unbias))) {
            var.muli(keep).addi(newVar);
        }
    }

    /** (x - mean) / sqrt(var + eps) for per-channel mean and var of shape (C). */
    public NDArray normalize(NDArray x, NDArray channelMean, NDArray channelVar) {
        Shape bcast = broadcastShape(x);
        NDArray std = channelVar.add(EngineConstants.scalar(channelVar, eps)).sqrt();
        NDArray invStd = std.pow(EngineConstants.scalar(channelVar, -1)).reshape(bcast);
        return x.sub(channelMean.reshape(bcast)).mul(invStd);
    }

    /** (1, C, 1, ...): the shape that broadcasts a per-channel vector over x. */
    public static Shape broadcastShape(NDArray x) {
        long[] dims = new long[x.getShape().dimension()];
        java.util.Arrays.fill(dims, 1);
        dims[1] = x.getShape().get(1);
        return new Shape(dims);
    }

    /** The per-channel mean of x over every axis but 1, shape (C). */
    public static NDArray channelMean(NDArray x) {
        NDArray m = x.mean(new int[] {0}, true);
        for (int axis = x.getShape().dimension() - 1; axis >= 2; axis--) {
            m = m.mean(new int[] {axis}, true);
        }
        return m.reshape(x.getShape().get(1));
    }

    /** The number of values per channel of x. */
    public static long countPerChannel(NDArray x) {
        return x.getShape().size() / x.getShape().get(1);
    }
}

package org.normlab.norm.iebn;

import ai.djl.ndarray.NDArray;
import org.normlab.norm.EngineConstants;

/**
 * y = input * weight + bias along axis 1 (weight and bias of shape (input.shape[1])), in one
 * pass forward and one kernel backward.
 *
 * <p>DJL has no fused affine, but the engine's batch norm in eval mode is one: with running mean
 * 0, running variance 1 and eps 0 it computes (input - 0) / sqrt(1 + 0) * weight + bias, exactly
 * input * weight + bias, and its backward gives the gradients of input, weight and bias at once.
 * On x viewed as (1, N*C, L) it applies a per-(sample, channel) affine; on an (N, C) array a
 * per-channel one.
 */
final class FusedAffine {

    private FusedAffine() {}

    /** input * weight + bias along axis 1, owned by the input's manager. */
    static NDArray apply(NDArray input, NDArray weight, NDArray bias) {
        long length = input.getShape().get(1);
        // axis -1: DJL hands the arrays straight to the kernel (no axis swap); the momentum is
        // unused in eval mode.
        return input.getNDArrayInternal()
                .batchNorm(input, EngineConstants.zeros(input, length), EngineConstants.ones(input, length), weight, bias,
                        -1, 1f, 0f, false)
                .singletonOrThrow();
    }
}

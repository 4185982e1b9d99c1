package org.normlab.norm.act;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import org.normlab.norm.EngineConstants;

/**
 * EvoNorm-S0 (Liu et al. 2020) exactly as timm's EvoNorm2dS0: y = x * sigmoid(v * x) /
 * group_std(x) * gamma + beta, group_std being sqrt(biased variance over each sample's channel
 * group + eps). Batch-independent: no running statistics. Without its activation the layer is
 * timm's apply_act=False: only the affine, no {@code v}.
 */
public final class EvoNormS0Layer extends EvoNormBlock {

    private static final byte VERSION = 1;

    private final int groups;
    private final float eps;

    public EvoNormS0Layer(int groups, float eps, boolean applyActivation) {
        super(VERSION, applyActivation);
        this.groups = groups;
        this.eps = eps;
    }

    public int groups() {
        return groups;
    }

    @Override
    protected NDArray normalizeAndActivate(ParameterStore store, NDArray x, boolean training) {
        NDArray gated = x.mul(Activation.sigmoid(x.mul(perChannel(store, v, x, training))));
        NDArray std = moments(groupRows(x, groups), 2).std(EngineConstants.scalar(x, eps));
        return groupRows(gated, groups).div(std).reshape(x.getShape());
    }
}

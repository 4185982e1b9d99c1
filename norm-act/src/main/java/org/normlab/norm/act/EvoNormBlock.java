package org.normlab.norm.act;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.normlab.norm.PerChannelBlock;

/**
 * What EvoNorm-B0 and EvoNorm-S0 share, as timm's EvoNorm2d layers: gamma and beta, and with the
 * activation {@code v} and the layer's own normalization before the affine. Without the
 * activation (timm's apply_act=False) the layer is only the affine.
 */
abstract class EvoNormBlock extends PerChannelBlock {

    private final Parameter gamma;
    private final Parameter beta;
    /** The activation's per-channel parameter; null without the activation. */
    protected final Parameter v;

    EvoNormBlock(byte version, boolean applyActivation) {
        super(version);
        gamma = perChannelParameter("gamma", Parameter.Type.GAMMA);
        beta = perChannelParameter("beta", Parameter.Type.BETA);
        v = applyActivation ? perChannelParameter("v", Parameter.Type.GAMMA) : null;
    }

    /** The normalization with its activation, before the affine; called only when {@code v} is there. */
    protected abstract NDArray normalizeAndActivate(ParameterStore store, NDArray x, boolean training);

    @Override
    protected final NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray y = v == null ? x : normalizeAndActivate(store, x, training);
        return new NDList(affine(store, y, gamma, beta, training));
    }
}

package org.normlab.norm.act;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.normlab.norm.EngineConstants;
import org.normlab.norm.PerChannelBlock;

/**
 * EvoNorm-S0 (Liu et al. 2020) exactly as timm's EvoNorm2dS0: y = x * sigmoid(v * x) /
 * group_std(x) * gamma + beta, group_std being sqrt(biased variance over each sample's channel
 * group + eps). Batch-independent: no running statistics. Without its activation the layer is
 * timm's apply_act=False: only the affine, no {@code v}.
 */
public final class EvoNormS0Layer extends PerChannelBlock {

    private static final byte VERSION = 1;

    private final int groups;
    private final float eps;
    private final Parameter gamma;
    private final Parameter beta;
    private final Parameter v;

    public EvoNormS0Layer(int groups, float eps, boolean applyActivation) {
        super(VERSION);
        this.groups = groups;
        this.eps = eps;
        gamma = perChannelParameter("gamma", Parameter.Type.GAMMA);
        beta = perChannelParameter("beta", Parameter.Type.BETA);
        v = applyActivation ? perChannelParameter("v", Parameter.Type.GAMMA) : null;
    }

    public int groups() {
        return groups;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        if (v != null) {
            Shape shape = x.getShape();
            NDArray gated = x.mul(Activation.sigmoid(x.mul(perChannel(store, v, x, training))));
            NDArray rows = x.reshape(shape.get(0), groups, -1);
            NDArray centered = rows.sub(rows.mean(new int[] {2}, true));
            NDArray std = centered.mul(centered).mean(new int[] {2}, true).add(EngineConstants.scalar(x, eps)).sqrt();
            x = gated.reshape(shape.get(0), groups, -1).div(std).reshape(shape);
        }
        return new NDList(x.mul(perChannel(store, gamma, x, training)).add(perChannel(store, beta, x, training)));
    }
}

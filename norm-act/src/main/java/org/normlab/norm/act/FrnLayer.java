package org.normlab.norm.act;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.normlab.norm.EngineConstants;
import org.normlab.norm.PerChannelBlock;

/**
 * Filter Response Normalization with its Thresholded Linear Unit (Singh & Krishnan 2020):
 * y = max(gamma * x / sqrt(mean_hw(x^2) + eps) + beta, tau). Without its activation (where no
 * activation follows in the model) there is no max and no {@code tau}, as timm's
 * FilterResponseNormTlu2d with apply_act=False.
 */
public final class FrnLayer extends PerChannelBlock {

    private static final byte VERSION = 1;

    private final float eps;
    private final Parameter gamma;
    private final Parameter beta;
    private final Parameter tau;

    public FrnLayer(float eps, boolean applyActivation) {
        super(VERSION);
        this.eps = eps;
        gamma = perChannelParameter("gamma", Parameter.Type.GAMMA);
        beta = perChannelParameter("beta", Parameter.Type.BETA);
        // tau starts at zero: the TLU begins as a ReLU shifted by beta.
        tau = applyActivation ? perChannelParameter("tau", Parameter.Type.BETA) : null;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray nu2 = meanOver(x.square(), spatialAxes(x));
        NDArray inverseRms = nu2.add(EngineConstants.scalar(nu2, eps)).pow(EngineConstants.scalar(nu2, -0.5));
        NDArray y = affine(store, x.mul(inverseRms), gamma, beta, training);
        return new NDList(tau == null ? y : y.maximum(perChannel(store, tau, x, training)));
    }
}

package org.example.norm;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.normlab.norm.EngineConstants;
import org.normlab.norm.PerChannelBlock;

/** y = x / sqrt(mean_{C,H,W}(x^2) + eps) * gamma + beta, per sample; no running statistics. */
public final class RmsNormLayer extends PerChannelBlock {

    private final float eps;
    private final Parameter gamma;
    private final Parameter beta;

    public RmsNormLayer(float eps) {
        super((byte) 1);
        this.eps = eps;
        gamma = perChannelParameter("gamma", Parameter.Type.GAMMA);
        beta = perChannelParameter("beta", Parameter.Type.BETA);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray meanSquare = meanOver(x.square(), 1, 2, 3);
        NDArray y = x.div(meanSquare.add(EngineConstants.scalar(x, eps)).sqrt());
        return new NDList(y.mul(perChannel(store, gamma, x, training)).add(perChannel(store, beta, x, training)));
    }
}

package org.example.dyt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;
import org.normlab.norm.PerChannelBlock;

/**
 * y = tanh(alpha * x) * gamma + beta: alpha is one scalar (shape (1), not per channel, made with
 * {@code fixedShapeParameter}), gamma and beta are per channel. No statistics, no running state.
 */
public final class DynamicTanhLayer extends PerChannelBlock {

    private static final byte VERSION = 1;

    private final float alphaInit;
    private final Parameter alpha;
    private final Parameter gamma;
    private final Parameter beta;

    public DynamicTanhLayer(float alphaInit) {
        super(VERSION);
        this.alphaInit = alphaInit;
        alpha = fixedShapeParameter("alpha", new Shape(1), new ConstantInitializer(alphaInit));
        gamma = perChannelParameter("gamma", Parameter.Type.GAMMA);
        beta = perChannelParameter("beta", Parameter.Type.BETA);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray a = store.getValue(alpha, x.getDevice(), training); // (1) broadcasts over x
        return new NDList(affine(store, x.mul(a).tanh(), gamma, beta, training));
    }

    @Override
    public String toString() {
        return "DynamicTanh(alpha_init=" + alphaInit + ")";
    }
}

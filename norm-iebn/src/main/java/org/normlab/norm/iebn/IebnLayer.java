package org.normlab.norm.iebn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;
import org.normlab.norm.AbstractBatchNormBlock;
import org.normlab.norm.BatchNormOptions;
import org.normlab.norm.NormOptions;

/**
 * Instance Enhancement Batch Normalization (Liang et al., AAAI 2020):
 * y = x_hat * gamma * sigmoid(w * mean_hw(x) + b) + beta, the gate pooled over the raw input,
 * per instance and channel, in training and in eval. Initial values: gamma 1, beta 0, w 0, b -1.
 */
public class IebnLayer extends AbstractBatchNormBlock {

    private static final byte VERSION = 1;

    private final boolean affine;
    private Parameter gamma;
    private Parameter beta;
    private final Parameter weightReadjust;
    private final Parameter biasReadjust;

    public IebnLayer(NormOptions options) {
        super(VERSION, options);
        affine = options.getBoolean(BatchNormOptions.AFFINE.name());
        if (affine) {
            gamma = addParameter(Parameter.builder().setName("gamma").setType(Parameter.Type.GAMMA).build());
            beta = addParameter(Parameter.builder().setName("beta").setType(Parameter.Type.BETA).build());
        }
        // Type OTHER with fixed initializers: a model-wide weight initializer must not touch them.
        weightReadjust = addParameter(Parameter.builder()
                .setName("weightReadjust")
                .setType(Parameter.Type.OTHER)
                .optInitializer(new ConstantInitializer(0f))
                .build());
        biasReadjust = addParameter(Parameter.builder()
                .setName("biasReadjust")
                .setType(Parameter.Type.OTHER)
                .optInitializer(new ConstantInitializer(-1f))
                .build());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray gate = Activation.sigmoid(perChannel(store, weightReadjust, x, training)
                .mul(spatialMean(x))
                .add(perChannel(store, biasReadjust, x, training)));
        NDArray xHat = standardize(store, x, training);
        if (!affine) {
            return new NDList(xHat.mul(gate));
        }
        NDArray scale = gate.mul(perChannel(store, gamma, x, training));
        return new NDList(xHat.mul(scale).add(perChannel(store, beta, x, training)));
    }

    /** mean over every axis after the channel axis, kept as size-1 axes: (N, C, 1, 1). */
    private static NDArray spatialMean(NDArray x) {
        NDArray m = x;
        for (int axis = x.getShape().dimension() - 1; axis >= 2; axis--) {
            m = m.mean(new int[] {axis}, true);
        }
        return m;
    }
}

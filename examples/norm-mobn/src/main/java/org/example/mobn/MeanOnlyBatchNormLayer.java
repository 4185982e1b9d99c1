package org.example.mobn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.normlab.norm.AbstractBatchNormBlock;
import org.normlab.norm.NormOptions;

/**
 * y = (x - mu) + beta, mu the batch mean in training and the running mean in eval. It extends
 * AbstractBatchNormBlock without a running variance ({@code runningVariance = false}) and
 * installs its own step, {@link MeanOnlyStep}: the noise attacks decorate that step, and
 * NormLab's instruments (eval.stats, layers.csv) use it and the statistics it keeps.
 */
public final class MeanOnlyBatchNormLayer extends AbstractBatchNormBlock {

    private static final byte VERSION = 1;

    private final Parameter beta;

    public MeanOnlyBatchNormLayer(NormOptions options) {
        super(VERSION, options, false);
        beta = perChannelParameter("beta", Parameter.Type.BETA);
        setStandardizer(MeanOnlyStep.INSTANCE);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray xHat = standardize(store, inputs.singletonOrThrow(), training);
        return new NDList(xHat.add(perChannel(store, beta, xHat, training)));
    }

    @Override
    public String toString() {
        return "MeanOnlyBatchNorm(momentum=" + momentum + ")";
    }
}

package org.normlab.norm.bn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.normlab.norm.AbstractBatchNormBlock;
import org.normlab.norm.BatchNormOptions;
import org.normlab.norm.NormOptions;
import org.normlab.norm.RunningStats;

/** Batch normalization over axis 1: y = x_hat * gamma + beta, as PyTorch's BatchNorm2d. */
public class BatchNormLayer extends AbstractBatchNormBlock {

    private static final byte VERSION = 1;

    private final boolean affine;
    private Parameter gamma;
    private Parameter beta;

    public BatchNormLayer(NormOptions options) {
        super(VERSION, options);
        affine = options.getBoolean(BatchNormOptions.AFFINE.name());
        if (affine) {
            gamma = perChannelParameter("gamma", Parameter.Type.GAMMA);
            beta = perChannelParameter("beta", Parameter.Type.BETA);
        }
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        if (affine && fusedPathAllowed(store, x, training)) {
            // One fused kernel: statistics, running update, normalization and affine.
            NDArray g = store.getValue(gamma, x.getDevice(), training);
            NDArray b = store.getValue(beta, x.getDevice(), training);
            return new NDList(RunningStats.fusedBatchNorm(x, runningStats(store, x, training), g, b, training));
        }
        NDArray xHat = standardize(store, x, training);
        if (!affine) {
            return new NDList(xHat);
        }
        return new NDList(affine(store, xHat, gamma, beta, training));
    }
}

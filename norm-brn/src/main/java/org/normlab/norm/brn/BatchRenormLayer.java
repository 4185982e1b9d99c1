package org.normlab.norm.brn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.normlab.norm.AbstractBatchNormBlock;
import org.normlab.norm.BatchNormOptions;
import org.normlab.norm.EngineConstants;
import org.normlab.norm.NormOptions;
import org.normlab.norm.RunningStats;

/**
 * Batch Renormalization (Ioffe 2017, Algorithm 1). In training x_hat = x_hat_B * r + d, where
 * x_hat_B = (x - mu_B) / sigma_B is the batch-normalized step (replaceable, so noise attacks
 * perturb it), r = clip(sigma_B / sigma, 1/r_max, r_max) and d = clip((mu_B - mu) / sigma,
 * -d_max, d_max) are held constant in backward, sigma_B = sqrt(biased batch var + eps) and
 * sigma = sqrt(running var + eps) with the running statistics from before this step. Running
 * statistics are updated as bn's (PyTorch momentum, unbiased variance); eval is bn's eval.
 * r_max = 1 and d_max = 0 make it bn.
 */
public final class BatchRenormLayer extends AbstractBatchNormBlock {

    private static final byte VERSION = 1;

    private final float rMax;
    private final float dMax;
    private final Parameter gamma;
    private final Parameter beta;

    public BatchRenormLayer(NormOptions options) {
        super(VERSION, options);
        rMax = options.getFloat(BatchRenormProvider.R_MAX.name());
        dMax = options.getFloat(BatchRenormProvider.D_MAX.name());
        boolean affine = options.getBoolean(BatchNormOptions.AFFINE.name());
        gamma = affine ? perChannelParameter("gamma", Parameter.Type.GAMMA) : null;
        beta = affine ? perChannelParameter("beta", Parameter.Type.BETA) : null;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray xHat;
        if (training) {
            // r and d from the running statistics before the standardizer updates them.
            NDArray[] correction = correction(x, runningStats(store, x, true));
            xHat = standardize(store, x, true).mul(correction[0]).add(correction[1]);
        } else {
            xHat = standardize(store, x, false);
        }
        if (gamma == null) {
            return new NDList(xHat);
        }
        return new NDList(affine(store, xHat, gamma, beta, training));
    }

    /** r and d, shaped to broadcast over x, without gradient. */
    private NDArray[] correction(NDArray x, RunningStats stats) {
        NDArray in = x.stopGradient();
        Shape bcast = RunningStats.broadcastShape(x);
        NDArray batchMean = RunningStats.channelMean(in);
        NDArray centered = in.sub(batchMean.reshape(bcast));
        NDArray batchVar = RunningStats.channelMean(centered.mul(centered));
        NDArray epsArray = EngineConstants.scalar(batchVar, eps);
        NDArray batchStd = batchVar.add(epsArray).sqrt();
        NDArray runningStd = stats.var().add(epsArray).sqrt();
        NDArray r = batchStd.div(runningStd).clip(1 / rMax, rMax);
        NDArray d = batchMean.sub(stats.mean()).div(runningStd).clip(-dMax, dMax);
        return new NDArray[] {r.reshape(bcast), d.reshape(bcast)};
    }

    @Override
    public String toString() {
        return "BatchRenorm(r_max=" + rMax + ", d_max=" + dMax + ", eps=" + eps + ", momentum=" + momentum + ")";
    }
}

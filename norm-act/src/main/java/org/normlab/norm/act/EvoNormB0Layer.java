package org.normlab.norm.act;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.normlab.norm.EngineConstants;
import org.normlab.norm.PerChannelBlock;
import org.normlab.norm.RunningStats;

/**
 * EvoNorm-B0 (Liu et al. 2020) exactly as timm's EvoNorm2dB0: y = x / max(sqrt(var + eps),
 * v * x + instance_std(x)) * gamma + beta, where var is the per-channel biased batch variance in
 * training (gradients flow through it) and the running variance in eval; the running variance
 * is updated with the unbiased batch variance (PyTorch momentum). instance_std is
 * sqrt(biased variance over H, W + eps). Without its activation the layer is timm's
 * apply_act=False: only the affine, no {@code v} (the running variance is kept, unused).
 */
public final class EvoNormB0Layer extends PerChannelBlock {

    private static final byte VERSION = 1;

    private final float eps;
    private final float momentum;
    private final Parameter gamma;
    private final Parameter beta;
    private final Parameter v;
    private final Parameter runningVar;

    public EvoNormB0Layer(float eps, float momentum, boolean applyActivation) {
        super(VERSION);
        this.eps = eps;
        this.momentum = momentum;
        gamma = perChannelParameter("gamma", Parameter.Type.GAMMA);
        beta = perChannelParameter("beta", Parameter.Type.BETA);
        v = applyActivation ? perChannelParameter("v", Parameter.Type.GAMMA) : null;
        runningVar = runningParameter("runningVar", Parameter.Type.RUNNING_VAR);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        if (v != null) {
            Shape bcast = RunningStats.broadcastShape(x);
            NDArray running = store.getValue(runningVar, x.getDevice(), training);
            NDArray var = training ? batchVariance(x, running) : running.reshape(bcast);
            NDArray epsArray = EngineConstants.scalar(x, eps);
            NDArray left = var.add(epsArray).sqrt();
            NDArray right = x.mul(perChannel(store, v, x, training)).add(instanceStd(x, epsArray));
            x = x.div(left.maximum(right));
        }
        return new NDList(x.mul(perChannel(store, gamma, x, training)).add(perChannel(store, beta, x, training)));
    }

    /** The biased per-channel batch variance shaped (1, C, 1, 1); folds it into the running one. */
    private NDArray batchVariance(NDArray x, NDArray running) {
        int[] axes = {0, 2, 3};
        NDArray centered = x.sub(meanOver(x, axes));
        NDArray var = meanOver(centered.mul(centered), axes);
        long n = RunningStats.countPerChannel(x);
        double unbias = n > 1 ? (double) n / (n - 1) : 1;
        try (NDArray update = var.stopGradient().reshape(running.getShape()).mul(EngineConstants.scalar(var, momentum * unbias))) {
            running.muli(EngineConstants.scalar(running, 1 - momentum)).addi(update);
        }
        return var;
    }

    private static NDArray instanceStd(NDArray x, NDArray epsArray) {
        int[] hw = spatialAxes(x);
        NDArray centered = x.sub(meanOver(x, hw));
        return meanOver(centered.mul(centered), hw).add(epsArray).sqrt();
    }
}

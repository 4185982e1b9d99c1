package org.normlab.norm.act;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import org.normlab.norm.EngineConstants;
import org.normlab.norm.RunningStats;

/**
 * EvoNorm-B0 (Liu et al. 2020) exactly as timm's EvoNorm2dB0: y = x / max(sqrt(var + eps),
 * v * x + instance_std(x)) * gamma + beta, where var is the per-channel biased batch variance in
 * training (gradients flow through it) and the running variance in eval; the running variance
 * is updated with the unbiased batch variance (PyTorch momentum). instance_std is
 * sqrt(biased variance over H, W + eps). Without its activation the layer is timm's
 * apply_act=False: only the affine, no {@code v} (the running variance is kept, unused).
 */
public final class EvoNormB0Layer extends EvoNormBlock {

    private static final byte VERSION = 1;

    private final float eps;
    private final float momentum;
    private final Parameter runningVar;

    public EvoNormB0Layer(float eps, float momentum, boolean applyActivation) {
        super(VERSION, applyActivation);
        this.eps = eps;
        this.momentum = momentum;
        runningVar = runningParameter("runningVar", Parameter.Type.RUNNING_VAR);
    }

    @Override
    protected NDArray normalizeAndActivate(ParameterStore store, NDArray x, boolean training) {
        Shape bcast = RunningStats.broadcastShape(x);
        NDArray running = store.getValue(runningVar, x.getDevice(), training);
        NDArray var = training ? batchVariance(x, running) : running.reshape(bcast);
        NDArray epsArray = EngineConstants.scalar(x, eps);
        NDArray left = var.add(epsArray).sqrt();
        NDArray right = x.mul(perChannel(store, v, x, training)).add(moments(x, spatialAxes(x)).std(epsArray));
        return x.div(left.maximum(right));
    }

    /** The biased per-channel batch variance shaped (1, C, 1, 1); folds it into the running one. */
    private NDArray batchVariance(NDArray x, NDArray running) {
        NDArray var = moments(x, 0, 2, 3).variance();
        long n = RunningStats.countPerChannel(x);
        double unbias = n > 1 ? (double) n / (n - 1) : 1;
        try (NDArray update = var.stopGradient().reshape(running.getShape()).mul(EngineConstants.scalar(var, momentum * unbias))) {
            running.muli(EngineConstants.scalar(running, 1 - momentum)).addi(update);
        }
        return var;
    }
}

package org.normlab.norm.group;

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
 * InstanceNorm that keeps running statistics, as {@code torch.nn.InstanceNorm2d(C, affine,
 * track_running_stats=True)}: training normalizes each (sample, channel) by its own statistics
 * and folds their batch average into the running ones (running var from the unbiased instance
 * variance, PyTorch momentum); eval normalizes with the running statistics.
 */
final class RunningInstanceNormLayer extends PerChannelBlock {

    private static final byte VERSION = 1;

    private final float eps;
    private final float momentum;
    private final Parameter gamma;
    private final Parameter beta;
    private final Parameter runningMean;
    private final Parameter runningVar;

    RunningInstanceNormLayer(float eps, float momentum, boolean affine) {
        super(VERSION);
        this.eps = eps;
        this.momentum = momentum;
        gamma = affine ? perChannelParameter("gamma", Parameter.Type.GAMMA) : null;
        beta = affine ? perChannelParameter("beta", Parameter.Type.BETA) : null;
        runningMean = runningParameter("runningMean", Parameter.Type.RUNNING_MEAN);
        runningVar = runningParameter("runningVar", Parameter.Type.RUNNING_VAR);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray mean = store.getValue(runningMean, x.getDevice(), training);
        NDArray var = store.getValue(runningVar, x.getDevice(), training);
        NDArray epsArray = EngineConstants.scalar(x, eps);
        NDArray xHat;
        if (training) {
            Moments instance = moments(x, spatialAxes(x));
            xHat = instance.centered().div(instance.std(epsArray));
            long count = x.getShape().size() / (x.getShape().get(0) * x.getShape().get(1));
            update(mean, var, instance.mean(), instance.variance(), count);
        } else {
            Shape bcast = RunningStats.broadcastShape(x);
            xHat = x.sub(mean.reshape(bcast)).div(var.reshape(bcast).add(epsArray).sqrt());
        }
        if (gamma == null) {
            return new NDList(xHat);
        }
        return new NDList(affine(store, xHat, gamma, beta, training));
    }

    /** running = (1 - m) running + m * (batch average of the instance statistics), in place. */
    private void update(NDArray mean, NDArray var, NDArray instanceMean, NDArray instanceVar, long count) {
        double unbias = count > 1 ? (double) count / (count - 1) : 1;
        NDArray keep = EngineConstants.scalar(mean, 1 - momentum);
        try (NDArray m = meanOver(instanceMean.stopGradient(), 0).reshape(mean.getShape())
                        .mul(EngineConstants.scalar(mean, momentum));
                NDArray v = meanOver(instanceVar.stopGradient(), 0).reshape(var.getShape())
                        .mul(EngineConstants.scalar(var, momentum * unbias))) {
            mean.muli(keep).addi(m);
            var.muli(keep).addi(v);
        }
    }
}

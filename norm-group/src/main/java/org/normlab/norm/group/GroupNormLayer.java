package org.normlab.norm.group;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.normlab.norm.EngineConstants;
import org.normlab.norm.PerChannelBlock;

/**
 * Group normalization (Wu & He 2018) as torch.nn.GroupNorm: each sample's channels are split
 * into {@code groups} consecutive groups, each group is normalized by its own mean and biased
 * variance over (C / groups, H, W), then a per-channel affine. One group is LayerNorm as the
 * GroupNorm paper defines it for CNNs; one group per channel is InstanceNorm. Batch-independent:
 * no running statistics, eval equals train. On the PyTorch engine it runs torch's own group-norm
 * kernel ({@link TorchGroupNorm}).
 */
public final class GroupNormLayer extends PerChannelBlock {

    private static final byte VERSION = 1;

    private final int groups;
    private final double eps;
    private final Parameter gamma;
    private final Parameter beta;

    /**
     * @param groups the number of groups, dividing the layer's channels
     * @param affine whether to learn a per-channel scale ({@code gamma}) and shift ({@code beta})
     */
    public GroupNormLayer(int groups, double eps, boolean affine) {
        super(VERSION);
        this.groups = groups;
        this.eps = eps;
        gamma = affine ? perChannelParameter("gamma", Parameter.Type.GAMMA) : null;
        beta = affine ? perChannelParameter("beta", Parameter.Type.BETA) : null;
    }

    public int groups() {
        return groups;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        long c = x.getShape().get(1);
        NDArray weight = gamma == null ? EngineConstants.ones(x, c) : store.getValue(gamma, x.getDevice(), training);
        NDArray bias = beta == null ? EngineConstants.zeros(x, c) : store.getValue(beta, x.getDevice(), training);
        if (TorchGroupNorm.supports(x, weight, bias)) {
            return new NDList(TorchGroupNorm.apply(x, groups, weight, bias, eps));
        }
        // Any other engine (or an input name that DJL's module call would misread): the engine's
        // layer norm over each (sample, group) row, then the per-channel affine.
        NDArray rows = groupRows(x, groups);
        long perGroup = rows.getShape().get(2);
        NDArray xHat = rows.getNDArrayInternal()
                .layerNorm(rows, new Shape(perGroup), EngineConstants.ones(x, perGroup), EngineConstants.zeros(x, perGroup), (float) eps)
                .singletonOrThrow()
                .reshape(x.getShape());
        if (gamma == null) {
            return new NDList(xHat);
        }
        return new NDList(affine(store, xHat, gamma, beta, training));
    }

    @Override
    public String toString() {
        return "GroupNorm(groups=" + groups + ", eps=" + eps + ", affine=" + (gamma != null) + ")";
    }
}

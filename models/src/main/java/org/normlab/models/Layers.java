package org.normlab.models;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.initializer.Initializer;
import org.normlab.norm.NormFactory;

/**
 * The non-norm layers of the ResNets, initialized as torchvision and the CIFAR reference code do.
 * Initializers are set on these layers only, so a norm keeps whatever its plugin chose.
 */
final class Layers {

    private Layers() {}

    /** A k x k convolution, padding k / 2, without bias (a norm follows), its weight initialized by {@code init}. */
    static Block conv(int filters, int kernel, int stride, ConvInit init) {
        Block conv = Conv2d.builder()
                .setFilters(filters)
                .setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(kernel / 2, kernel / 2))
                .optBias(false)
                .build();
        conv.setInitializer(init.initializer(), Parameter.Type.WEIGHT);
        return conv;
    }

    /**
     * A norm followed by a ReLU; one layer when the norm carries its activation (FRN's TLU, the
     * EvoNorms), as timm's {@code create_norm_act}.
     */
    static SequentialBlock normRelu(SequentialBlock net, NormFactory norm, int channels) {
        net.add(norm.create(channels, true));
        return norm.carriesActivation() ? net : net.add(Activation.reluBlock());
    }

    /**
     * A norm that no activation follows (before a residual addition, in a shortcut): a norm
     * that carries one is built without it, as timm's {@code apply_act=False}.
     */
    static Block normOnly(NormFactory norm, int channels) {
        return norm.create(channels, false);
    }

    /** 3x3 max-pool, stride 2, padding 1: the torchvision stem's. */
    static Block maxPool() {
        return Pool.maxPool2dBlock(new Shape(3, 3), new Shape(2, 2), new Shape(1, 1));
    }

    /** (N, C, H, W) to (N, C) by the spatial mean. */
    static Block globalAvgPool() {
        return Pool.globalAvgPool2dBlock();
    }

    /**
     * The classifier, initialized as PyTorch's nn.Linear: weight and bias uniform in
     * +-1/sqrt(features).
     */
    static Block classifier(int features, int classes) {
        Block linear = Linear.builder().setUnits(classes).build();
        float bound = (float) (1 / Math.sqrt(features));
        Initializer uniform = (manager, shape, type) ->
                manager.randomUniform(-bound, bound, shape, type, manager.getDevice());
        linear.setInitializer(uniform, Parameter.Type.WEIGHT);
        linear.setInitializer(uniform, Parameter.Type.BIAS);
        return linear;
    }
}

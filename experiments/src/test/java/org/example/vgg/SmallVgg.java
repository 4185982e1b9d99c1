package org.example.vgg;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import org.normlab.models.ModelFamily;
import org.normlab.models.ModelSettingException;
import org.normlab.norm.NormFactory;

/**
 * A two-stage VGG: [conv3x3(w) norm relu] maxpool2 [conv3x3(2w) norm relu] global-average-pool,
 * linear, w = 16 (small_vgg) or 8 (narrow_vgg, whose convolutions the CPU engine computes
 * wrongly, so NormLab refuses it there). Only depth 2 exists. Trainable parameters, with a norm
 * of 2 per channel (BN): 9*in*w + 2w + 9*w*2w + 4w + 2w*classes + classes.
 */
final class SmallVgg implements ModelFamily {

    private final int width;

    SmallVgg(int width) {
        this.width = width;
    }

    @Override
    public Block build(Request r, NormFactory body, NormFactory shortcut) {
        if (r.depth() != 2) {
            throw new ModelSettingException(ModelSettingException.DEPTH, "small_vgg: depth must be 2 (two conv stages), got "
                    + r.depth());
        }
        return new SequentialBlock()
                .add(conv(width)).add(body.create(width)).add(Activation.reluBlock())
                .add(Pool.maxPool2dBlock(new Shape(2, 2)))
                .add(conv(2 * width)).add(body.create(2 * width)).add(Activation.reluBlock())
                .add(Pool.globalAvgPool2dBlock())
                .add(Linear.builder().setUnits(r.classes()).build());
    }

    private static Block conv(int filters) {
        return Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1)).setFilters(filters)
                .optBias(false).build();
    }
}

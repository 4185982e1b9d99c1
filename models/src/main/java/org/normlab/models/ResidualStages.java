package org.normlab.models;

import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import org.normlab.norm.NormFactory;

/**
 * Appends stages of residual units of one kind to a network. Body norms come from one factory and
 * shortcut norms from another; which norms they are is the caller's business. A norm that
 * carries its activation replaces norm + ReLU, and is built without its activation before the
 * residual addition and in shortcuts (timm's {@code create_norm_act} / {@code apply_act=False}).
 */
final class ResidualStages {

    /** Output channels of a bottleneck unit per unit of width (He et al. 2016). */
    static final int BOTTLENECK_EXPANSION = 4;

    private final boolean bottleneck;
    private final Shortcut shortcut;
    private final NormFactory norm;
    private final NormFactory shortcutNorm;
    private final ConvInit init;

    ResidualStages(boolean bottleneck, Shortcut shortcut, NormFactory norm, NormFactory shortcutNorm, ConvInit init) {
        this.init = init;
        this.bottleneck = bottleneck;
        this.shortcut = shortcut;
        this.norm = norm;
        this.shortcutNorm = shortcutNorm;
    }

    /**
     * Appends {@code units} units of {@code width}, the first with {@code stride}.
     *
     * @return the channels the stage puts out
     */
    int addStage(SequentialBlock net, int inChannels, int width, int units, int stride) {
        int channels = inChannels;
        for (int i = 0; i < units; i++) {
            net.add(unit(channels, width, i == 0 ? stride : 1));
            channels = width * (bottleneck ? BOTTLENECK_EXPANSION : 1);
        }
        return channels;
    }

    private Block unit(int in, int width, int stride) {
        int out = width * (bottleneck ? BOTTLENECK_EXPANSION : 1);
        // Body before shortcut: norms are created in PyTorch's registration order.
        Block body = bottleneck ? bottleneckBody(width, out, stride) : basicBody(width, stride);
        Block skip = stride == 1 && in == out ? null : shortcut(in, out, stride);
        return new ResidualUnit(body, skip);
    }

    private Block basicBody(int width, int stride) {
        SequentialBlock body = new SequentialBlock().add(Layers.conv(width, 3, stride, init));
        return Layers.normRelu(body, norm, width)
                .add(Layers.conv(width, 3, 1, init))
                .add(Layers.normOnly(norm, width));
    }

    /** 1x1 reduce, 3x3 carrying the stride (torchvision v1.5 and the CIFAR code), 1x1 expand. */
    private Block bottleneckBody(int width, int out, int stride) {
        SequentialBlock body = new SequentialBlock().add(Layers.conv(width, 1, 1, init));
        Layers.normRelu(body, norm, width).add(Layers.conv(width, 3, stride, init));
        return Layers.normRelu(body, norm, width)
                .add(Layers.conv(out, 1, 1, init))
                .add(Layers.normOnly(norm, out));
    }

    private Block shortcut(int in, int out, int stride) {
        if (shortcut == Shortcut.A) {
            return new ZeroPadShortcut(in, out, stride);
        }
        return new SequentialBlock().add(Layers.conv(out, 1, stride, init)).add(Layers.normOnly(shortcutNorm, out));
    }
}

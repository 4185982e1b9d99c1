package org.normlab.models;

import ai.djl.nn.Block;
import org.normlab.norm.NormFactory;

/**
 * The CIFAR ResNets of He et al. 2016 (sec. 4.2) as in the IEBN authors' code and
 * bearpaw/pytorch-classification: a 3x3 stem of 16 channels, three stages of widths 16, 32, 64
 * (stride 2 entering the second and third), global average pool, linear. Depth 6n+2 with basic
 * units, 9n+2 with bottleneck units.
 */
final class CifarResNet {

    static final String FAMILY = "cifar_resnet";
    /** From this depth on, {@code auto} picks bottleneck units when the depth allows them. */
    static final int BOTTLENECK_FROM = 164;

    private static final int STEM_WIDTH = 16;
    private static final int[] WIDTHS = {16, 32, 64};
    private static final int BASIC_LAYERS_PER_UNIT = 2 * WIDTHS.length;
    private static final int BOTTLENECK_LAYERS_PER_UNIT = 3 * WIDTHS.length;

    private CifarResNet() {}

    static String allowedDepths() {
        return "6n+2 with basic units (8, 14, 20, 26, 32, 44, 56, 110, 1202, ...), "
                + "9n+2 with bottleneck units (11, 20, 29, ..., 164, 1001, ...); block auto picks "
                + "bottleneck from depth " + BOTTLENECK_FROM + " when the depth is 9n+2, basic otherwise";
    }

    /** The concrete unit kind for this depth and requested block. */
    static String resolveBlock(int depth, String block) {
        boolean basicFits = fits(depth, BASIC_LAYERS_PER_UNIT);
        boolean bottleneckFits = fits(depth, BOTTLENECK_LAYERS_PER_UNIT);
        switch (block) {
            case ModelSpec.AUTO:
                if (depth >= BOTTLENECK_FROM && bottleneckFits) {
                    return ModelSpec.BOTTLENECK;
                }
                if (basicFits) {
                    return ModelSpec.BASIC;
                }
                throw badDepth(depth, block, bottleneckFits ? "; it fits block bottleneck" : "");
            case ModelSpec.BASIC:
                if (basicFits) {
                    return block;
                }
                throw badDepth(depth, block, "");
            case ModelSpec.BOTTLENECK:
                if (bottleneckFits) {
                    return block;
                }
                throw badDepth(depth, block, "");
            default:
                throw new ModelSettingException(ModelSettingException.BLOCK, String.format(
                        "%s: block '%s' is unknown; allowed: %s, %s, %s",
                        FAMILY, block, ModelSpec.AUTO, ModelSpec.BASIC, ModelSpec.BOTTLENECK));
        }
    }

    static Block build(ModelSpec spec, NormFactory norm, NormFactory shortcutNorm) {
        boolean bottleneck = spec.block().equals(ModelSpec.BOTTLENECK);
        int unitsPerStage = (spec.depth() - 2) / (bottleneck ? BOTTLENECK_LAYERS_PER_UNIT : BASIC_LAYERS_PER_UNIT);
        ResNet net = new ResNet(spec);
        Layers.normRelu(net.add(Layers.conv(STEM_WIDTH, 3, 1, spec.init())), norm, STEM_WIDTH);
        ResidualStages stages = new ResidualStages(bottleneck, spec.shortcut(), norm, shortcutNorm, spec.init());
        int channels = STEM_WIDTH;
        for (int s = 0; s < WIDTHS.length; s++) {
            channels = stages.addStage(net, channels, WIDTHS[s], unitsPerStage, s == 0 ? 1 : 2);
        }
        return net.add(Layers.globalAvgPool()).add(Layers.classifier(channels, spec.classes()));
    }

    private static boolean fits(int depth, int layersPerUnit) {
        return depth >= layersPerUnit + 2 && (depth - 2) % layersPerUnit == 0;
    }

    private static ModelSettingException badDepth(int depth, String block, String hint) {
        return new ModelSettingException(ModelSettingException.DEPTH, String.format(
                "%s: depth %d is not valid with block %s%s; allowed depths: %s",
                FAMILY, depth, block, hint, allowedDepths()));
    }
}

package org.normlab.models;

import ai.djl.nn.Block;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.normlab.norm.NormFactory;

/**
 * The ImageNet ResNets in torchvision's layout (v1.5: a bottleneck's stride sits on its 3x3): a
 * 7x7/2 stem with 3x3/2 max-pool (or a 3x3/1 stem without pool for small images), four stages of
 * widths 64, 128, 256, 512, global average pool, linear.
 */
final class TorchvisionResNet {

    static final String FAMILY = "resnet";

    private static final int STEM_WIDTH = 64;
    private static final int[] WIDTHS = {64, 128, 256, 512};
    private static final Map<Integer, int[]> UNITS = new TreeMap<>(Map.of(
            18, new int[] {2, 2, 2, 2},
            34, new int[] {3, 4, 6, 3},
            50, new int[] {3, 4, 6, 3},
            101, new int[] {3, 4, 23, 3},
            152, new int[] {3, 8, 36, 3}));
    private static final int FIRST_BOTTLENECK_DEPTH = 50;

    private TorchvisionResNet() {}

    static boolean hasDepth(int depth) {
        return UNITS.containsKey(depth);
    }

    static String allowedDepths() {
        return UNITS.keySet().stream().map(String::valueOf).collect(Collectors.joining(", "))
                + " (basic units below " + FIRST_BOTTLENECK_DEPTH + ", bottleneck from it)";
    }

    /** The unit kind this depth is built from; {@code block} may only confirm it. */
    static String resolveBlock(int depth, String block) {
        if (!hasDepth(depth)) {
            throw new ModelSettingException(ModelSettingException.DEPTH, String.format(
                    "%s: depth %d is not available; allowed depths: %s", FAMILY, depth, allowedDepths()));
        }
        String natural = depth >= FIRST_BOTTLENECK_DEPTH ? ModelSpec.BOTTLENECK : ModelSpec.BASIC;
        if (!block.equals(ModelSpec.AUTO) && !block.equals(natural)) {
            throw new ModelSettingException(ModelSettingException.BLOCK, String.format(
                    "%s%d is built from %s units; block '%s' is not available for it "
                            + "(choosing the block is for %s only): leave block %s",
                    FAMILY, depth, natural, block, CifarResNet.FAMILY, ModelSpec.AUTO));
        }
        return natural;
    }

    static Block build(ModelSpec spec, NormFactory norm, NormFactory shortcutNorm) {
        ResNet net = new ResNet(spec);
        if (spec.cifarStem()) {
            Layers.normRelu(net.add(Layers.conv(STEM_WIDTH, 3, 1, spec.init())), norm, STEM_WIDTH);
        } else {
            Layers.normRelu(net.add(Layers.conv(STEM_WIDTH, 7, 2, spec.init())), norm, STEM_WIDTH).add(Layers.maxPool());
        }
        boolean bottleneck = spec.block().equals(ModelSpec.BOTTLENECK);
        ResidualStages stages = new ResidualStages(bottleneck, spec.shortcut(), norm, shortcutNorm, spec.init());
        int[] units = UNITS.get(spec.depth());
        int channels = STEM_WIDTH;
        for (int s = 0; s < WIDTHS.length; s++) {
            channels = stages.addStage(net, channels, WIDTHS[s], units[s], s == 0 ? 1 : 2);
        }
        return net.add(Layers.globalAvgPool()).add(Layers.classifier(channels, spec.classes()));
    }
}

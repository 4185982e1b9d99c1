package org.normlab.models;

import java.util.Locale;

/**
 * Which network to build. Validated and resolved on construction: {@code block} {@code null} or
 * {@code "auto"} becomes the concrete unit kind, {@code shortcut} {@code null} becomes the
 * family's default; so two specs are equal exactly when they build the same network.
 *
 * @param family {@value #CIFAR_RESNET} or {@value #RESNET} (see {@link Models#families()})
 * @param depth the number of weighted layers, see {@link Models#allowedDepths(String)}
 * @param classes the classifier's outputs, at least 1
 * @param inChannels the channels of the input images, at least 1
 * @param shortcut how shape-changing shortcuts work; {@code null} means A for {@value
 *     #CIFAR_RESNET} with basic units and B otherwise. Bottleneck units always use B, as in the
 *     IEBN authors' code and torchvision: A with them is an error
 * @param block {@value #AUTO}, {@value #BASIC} or {@value #BOTTLENECK}; chooses for {@value
 *     #CIFAR_RESNET} only ({@value #AUTO}: bottleneck from depth 164 when the depth is 9n+2, basic
 *     otherwise); {@value #RESNET} depths fix their unit kind
 * @param cifarStem {@value #RESNET} only: a 3x3 stride-1 stem without max-pool, for small images
 * @param init how the convolutions are initialized; {@code null} means {@link ConvInit#FAN_OUT}
 */
public record ModelSpec(
        String family, int depth, int classes, int inChannels, Shortcut shortcut, String block, boolean cifarStem,
        ConvInit init) {

    /** A spec with torchvision's convolution initialization ({@link ConvInit#FAN_OUT}). */
    public ModelSpec(String family, int depth, int classes, int inChannels, Shortcut shortcut, String block, boolean cifarStem) {
        this(family, depth, classes, inChannels, shortcut, block, cifarStem, ConvInit.FAN_OUT);
    }

    public static final String CIFAR_RESNET = CifarResNet.FAMILY;
    public static final String RESNET = TorchvisionResNet.FAMILY;
    public static final String AUTO = "auto";
    public static final String BASIC = "basic";
    public static final String BOTTLENECK = "bottleneck";

    public ModelSpec {
        family = Models.checkFamily(family);
        if (classes < 1) {
            throw new IllegalArgumentException("model classes must be at least 1, got " + classes);
        }
        if (inChannels < 1) {
            throw new IllegalArgumentException("model inChannels must be at least 1, got " + inChannels);
        }
        init = init == null ? ConvInit.FAN_OUT : init;
        block = block == null ? AUTO : block.trim().toLowerCase(Locale.ROOT);
        if (family.equals(CIFAR_RESNET)) {
            if (cifarStem) {
                throw new ModelSettingException(ModelSettingException.CIFAR_STEM,
                        "cifarStem is an option of family resnet; cifar_resnet always has a 3x3 stem, "
                                + "leave cifarStem false");
            }
            block = CifarResNet.resolveBlock(depth, block);
        } else {
            block = TorchvisionResNet.resolveBlock(depth, block);
        }
        boolean bottleneck = block.equals(BOTTLENECK);
        if (shortcut == null) {
            shortcut = family.equals(CIFAR_RESNET) && !bottleneck ? Shortcut.A : Shortcut.B;
        } else if (shortcut == Shortcut.A && bottleneck) {
            throw new ModelSettingException(ModelSettingException.SHORTCUT, String.format(
                    "%s%d has bottleneck units, which always use shortcut B (1x1 convolution + shortcut "
                            + "norm) as the IEBN authors' code and torchvision; shortcut A is for basic "
                            + "units only: use B or leave shortcut unset",
                    family, depth));
        }
    }

    /** A short readable name, for example {@code cifar_resnet20(basic, A)} or {@code resnet18}. */
    public String name() {
        if (family.equals(CIFAR_RESNET)) {
            return String.format("%s%d(%s, %s)", family, depth, block, shortcut);
        }
        String options = (shortcut == Shortcut.A ? ", A" : "") + (cifarStem ? ", cifar stem" : "");
        return family + depth + (options.isEmpty() ? "" : "(" + options.substring(2) + ")");
    }
}

package org.normlab.models;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.normlab.norm.NormFactory;
import org.normlab.norm.Spelling;

/**
 * Builds the ResNets of NormLab from a {@link ModelSpec} and two norm factories: one for the
 * norms of the residual bodies and the stem, one for the norms of projection shortcuts. Pass the
 * same factory twice to normalize everywhere with it (the notebook's setup), or a plain BN factory
 * as the second to keep BN in the shortcuts (the IEBN authors' setup).
 *
 * <p>Convolutions have no bias and start Kaiming-normal (fan_out, ReLU gain), the classifier
 * uniform in +-1/sqrt(fan_in), as torchvision and the CIFAR reference code; norm parameters keep
 * their plugin's initializers. A {@code TrainingConfig} initializer would override these, so
 * set none there.
 */
public final class Models {

    private static final List<String> FAMILIES = List.of(ModelSpec.CIFAR_RESNET, ModelSpec.RESNET);
    private static final Pattern SHORTHAND = Pattern.compile("(cifar_?resnet|resnet)-?(\\d{1,5})");

    private Models() {}

    /**
     * The network {@code spec} describes, uninitialized; DJL initializes it on the input shape
     * (N, inChannels, H, W).
     */
    public static Block build(ModelSpec spec, NormFactory norm, NormFactory shortcutNorm) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(norm, "norm");
        Objects.requireNonNull(shortcutNorm, "shortcutNorm");
        return spec.family().equals(ModelSpec.CIFAR_RESNET)
                ? CifarResNet.build(spec, norm, shortcutNorm)
                : TorchvisionResNet.build(spec, norm, shortcutNorm);
    }

    /**
     * Reads a model name: {@code resnet<depth>} is torchvision's layout for 18, 34, 50, 101 and
     * 152 and the CIFAR layout otherwise ({@code resnet20}, {@code resnet110}, {@code resnet164});
     * {@code cifar_resnet<depth>} is always the CIFAR layout. Case and a dash before the depth are
     * ignored. Block and shortcut take their defaults (see {@link ModelSpec}).
     */
    public static ModelSpec parse(String shorthand, int classes, int inChannels) {
        String name = String.valueOf(shorthand).trim().toLowerCase(Locale.ROOT);
        Matcher m = SHORTHAND.matcher(name);
        if (!m.matches()) {
            throw new IllegalArgumentException(String.format(
                    "model '%s' is not understood; write resnet<depth> (%s: %s; %s otherwise) or "
                            + "cifar_resnet<depth> (%s)",
                    shorthand, ModelSpec.RESNET, TorchvisionResNet.allowedDepths(), ModelSpec.CIFAR_RESNET,
                    CifarResNet.allowedDepths()));
        }
        int depth = Integer.parseInt(m.group(2));
        boolean torchvision = m.group(1).equals("resnet") && TorchvisionResNet.hasDepth(depth);
        String family = torchvision ? ModelSpec.RESNET : ModelSpec.CIFAR_RESNET;
        return new ModelSpec(family, depth, classes, inChannels, null, null, false);
    }

    /** The model families, as {@link ModelSpec#family()} accepts them. */
    public static List<String> families() {
        return FAMILIES;
    }

    /** The depths {@code family} can be built with, in words. */
    public static String allowedDepths(String family) {
        return checkFamily(family).equals(ModelSpec.CIFAR_RESNET)
                ? CifarResNet.allowedDepths()
                : TorchvisionResNet.allowedDepths();
    }

    /**
     * The number of scalars in parameters that require gradients (running statistics excluded).
     *
     * @throws IllegalStateException when the block is not initialized yet
     */
    public static long trainableParameters(Block initializedBlock) {
        long total = 0;
        for (Parameter p : initializedBlock.getParameters().values()) {
            if (!p.isInitialized()) {
                throw new IllegalStateException(
                        "parameter '" + p.getName() + "' is not initialized: initialize the block on an "
                                + "input shape first, e.g. block.initialize(manager, DataType.FLOAT32, "
                                + "new Shape(1, 3, 32, 32))");
            }
            if (p.requiresGradient()) {
                total += p.getArray().size();
            }
        }
        return total;
    }

    /** The family in canonical spelling, or an error listing the known ones. */
    static String checkFamily(String family) {
        String name = String.valueOf(family).trim().toLowerCase(Locale.ROOT);
        if (!FAMILIES.contains(name)) {
            throw new ModelSettingException(ModelSettingException.NAME, String.format(
                    "model family '%s' is unknown%s; known families: %s",
                    family, Spelling.hint(name, FAMILIES), String.join(", ", FAMILIES)));
        }
        return name;
    }
}

package org.normlab.experiments.cli;

import org.normlab.config.TrialConfig;
import org.normlab.engine.assembly.ModelFactory;
import org.normlab.models.ConvInit;
import org.normlab.models.ModelSpec;
import org.normlab.models.Models;
import org.normlab.results.UserError;

/**
 * The model of {@code params} and {@code bench}: {@code --model} as a shorthand with its depth
 * ({@code resnet20}, {@code cifar_resnet56}), or a model family by name, built-in or a plugin's,
 * with {@code --depth} ({@code --model small_vgg --depth 2}); as the model settings of a sweep,
 * with the defaults a sweep has for the rest.
 *
 * @param description the family, depth and, for a ResNet, its shortcuts, for {@code params}
 */
record ModelChoice(TrialConfig.ModelConfig config, String description) {

    private static final String AUTO = ModelSpec.AUTO;

    /**
     * @param depth {@code --depth}, or null
     * @throws UserError naming {@code --model} or {@code --depth} when they do not name a model
     */
    static ModelChoice of(String model, Integer depth, String shortcutNorm, ModelFactory models, int classes, int inChannels) {
        if (models.knows(model)) {
            if (depth == null) {
                throw new UserError("--model " + model + " is a model family: give its depth with --depth");
            }
            return choice(model, depth, shortcutNorm, classes, inChannels);
        }
        if (depth != null) {
            throw new UserError("--depth " + depth + " is for a model family by name (--model resnet --depth 18); "
                    + "--model " + model + " is not one");
        }
        try {
            ModelSpec spec = Models.parse(model, classes, inChannels);
            return choice(spec.family(), spec.depth(), shortcutNorm, classes, inChannels);
        } catch (IllegalArgumentException e) {
            throw new UserError("--model " + model + ": " + e.getMessage());
        }
    }

    private static ModelChoice choice(String family, int depth, String shortcutNorm, int classes, int inChannels) {
        var config = new TrialConfig.ModelConfig(family, depth, AUTO, AUTO, false, shortcutNorm, ConvInit.FAN_OUT.key());
        String description = family + ", depth " + depth;
        if (Models.families().contains(family)) {
            try {
                ModelSpec spec = new ModelSpec(family, depth, classes, inChannels, null, null, false);
                description += ", " + spec.shortcut() + " shortcuts";
            } catch (IllegalArgumentException e) {
                // the model's build says what is wrong, naming --model
            }
        }
        return new ModelChoice(config, description);
    }
}

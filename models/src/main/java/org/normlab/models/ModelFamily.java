package org.normlab.models;

import ai.djl.nn.Block;
import org.normlab.norm.NormFactory;

/**
 * A model family, named in a sweep file as {@code model.name}. The built-in ResNets are entries
 * of a Guice {@code MapBinder<String, ModelFamily>} (see {@link CoreModule}); a plugin jar adds
 * its own through a Guice module it lists in {@code META-INF/services/com.google.inject.Module}.
 */
@FunctionalInterface
public interface ModelFamily {

    /**
     * The network, uninitialized.
     *
     * @throws ModelSettingException when the family cannot be built with a setting, naming it
     *     ({@link ModelSettingException#DEPTH}, ...), so that a sweep's error points at its value;
     *     a plain {@link IllegalArgumentException} is reported at {@code model.name}
     */
    Block build(Request request, NormFactory body, NormFactory shortcut);

    /**
     * The model settings of a trial and the data's shape, as plain values.
     *
     * @param shortcut auto, A or B
     * @param block auto, basic or bottleneck
     * @param init how convolutions are initialized: fan_out (Kaiming normal, torchvision) or pytorch
     *     (torch.nn.Conv2d's default); a family without convolutions may ignore it
     */
    record Request(String family, int depth, String shortcut, String block, boolean cifarStem, int classes,
            int inChannels, String init) {}
}

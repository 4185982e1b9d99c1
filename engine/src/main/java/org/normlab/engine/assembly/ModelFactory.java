package org.normlab.engine.assembly;

import ai.djl.nn.Block;
import org.normlab.config.TrialConfig;
import org.normlab.norm.NormFactory;

/** Builds a trial's network from its model settings, the data's shape and the norm factories. */
public interface ModelFactory {

    /**
     * @throws IllegalArgumentException for an unknown family or settings the family cannot build;
     *     a {@link org.normlab.models.ModelSettingException} names the setting at fault
     */
    Block build(TrialConfig.ModelConfig model, int classes, int inChannels, NormFactory body, NormFactory shortcut);

    /** Whether {@code family} names a known model family (built-in or a plugin's). */
    boolean knows(String family);
}

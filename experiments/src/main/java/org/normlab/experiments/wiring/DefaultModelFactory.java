package org.normlab.experiments.wiring;

import ai.djl.nn.Block;
import org.normlab.experiments.config.TrialConfig;
import org.normlab.experiments.train.ModelFactory;
import org.normlab.models.ModelSpec;
import org.normlab.models.Models;
import org.normlab.models.Shortcut;
import org.normlab.norm.NormFactory;

/** Model settings from a sweep file to the models module's {@link ModelSpec}. */
public final class DefaultModelFactory implements ModelFactory {

    @Override
    public Block build(TrialConfig.ModelConfig m, int classes, int inChannels, NormFactory body, NormFactory shortcut) {
        return Models.build(spec(m, classes, inChannels), body, shortcut);
    }

    public static ModelSpec spec(TrialConfig.ModelConfig m, int classes, int inChannels) {
        Shortcut shortcut = m.shortcut().equals("auto") ? null : Shortcut.valueOf(m.shortcut());
        return new ModelSpec(m.name(), m.depth(), classes, inChannels, shortcut, m.block(), m.cifarStem());
    }
}

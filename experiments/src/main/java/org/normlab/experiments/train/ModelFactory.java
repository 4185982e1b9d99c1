package org.normlab.experiments.train;

import ai.djl.nn.Block;
import org.normlab.experiments.config.TrialConfig;
import org.normlab.norm.NormFactory;

/** Builds a trial's network from its model settings, the data's shape and the norm factories. */
@FunctionalInterface
public interface ModelFactory {

    Block build(TrialConfig.ModelConfig model, int classes, int inChannels, NormFactory body, NormFactory shortcut);
}

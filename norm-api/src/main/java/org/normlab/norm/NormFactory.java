package org.normlab.norm;

import ai.djl.nn.Block;

/**
 * Builds norm layers for a given channel count. Models receive one of these and never name a
 * concrete norm (as timm's {@code create_norm}: resolve the name once, hand blocks a factory).
 */
@FunctionalInterface
public interface NormFactory {

    /** Returns a fresh, uninitialized norm block for {@code channels} channels. */
    Block create(int channels);
}

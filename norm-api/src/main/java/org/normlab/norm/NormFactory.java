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

    /**
     * Returns a fresh norm block; {@code applyActivation} false leaves out the activation part
     * of a norm that {@link #carriesActivation() carries one} and changes nothing for others.
     */
    default Block create(int channels, boolean applyActivation) {
        return create(channels);
    }

    /**
     * Whether the blocks include their activation (timm's {@code create_norm_act}): a model adds
     * no ReLU after them, and asks for {@code create(channels, false)} where none follows.
     */
    default boolean carriesActivation() {
        return false;
    }
}

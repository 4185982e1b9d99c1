package org.normlab.models;

/**
 * How a residual unit carries its input past the body when the shape changes (He et al. 2016).
 * Where the shape does not change the shortcut is always the identity.
 */
public enum Shortcut {
    /**
     * Parameter-free: keep every second pixel ({@code x[:, :, ::2, ::2]}) and zero-pad the new
     * channels equally on both sides. Defined for basic blocks only.
     */
    A,
    /** Projection: a 1x1 convolution with the unit's stride, no bias, then a shortcut norm. */
    B
}

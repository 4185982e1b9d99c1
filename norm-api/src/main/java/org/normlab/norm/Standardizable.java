package org.normlab.norm;

/**
 * Optional capability of a norm block: its forward pass goes through a batch-normalized step
 * {@code x_hat = (x - mean) / sqrt(var + eps)} that can be replaced. Noise-attack wrappers
 * perturb that step; a wrapper around a norm without this capability is a configuration error.
 */
public interface Standardizable {

    /** The step in use; {@link Standardizer#BATCH} unless a wrapper replaced it. */
    Standardizer getStandardizer();

    /** Replaces the step, typically with one that decorates {@link #getStandardizer()}. */
    void setStandardizer(Standardizer standardizer);
}

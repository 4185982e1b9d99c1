package org.normlab.norm;

/**
 * A {@link Standardizer} (or other part of a model) that draws random numbers of its own in
 * training, and can say how far its stream has gone and continue from there. A resumed trial
 * restores every such position from its checkpoint, so that its noise equals an uninterrupted
 * run's.
 */
public interface ResumableRandom {

    /** How far the stream has gone (for example, values drawn so far). */
    long position();

    /** Continues the stream at {@code position}, as {@link #position()} returned it, from a fresh start. */
    void seek(long position);
}

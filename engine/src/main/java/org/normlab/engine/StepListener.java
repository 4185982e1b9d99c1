package org.normlab.engine;

import ai.djl.ndarray.NDArray;

/**
 * Called around every optimizer step, for instruments that observe chosen steps (log.layers).
 * {@code step} is the number of optimizer steps done before this one (0 for the first).
 */
public interface StepListener {

    StepListener NONE = new StepListener() {};

    /** Just before step {@code step} of {@code epoch} (0-based) trains. */
    default void beforeStep(long step, int epoch) {}

    /**
     * The same, with the step's batch: batch {@code batch} (0-based) of the epoch's order, its
     * images {@code x}. The engine is reseeded for the step after this returns, so a listener's
     * own use of the engine's random numbers does not reach the step.
     */
    default void beforeStep(long step, int epoch, int batch, NDArray x) {
        beforeStep(step, epoch);
    }

    /** Just after it trained (also when its loss was not finite). */
    default void afterStep(long step, int epoch) {}
}

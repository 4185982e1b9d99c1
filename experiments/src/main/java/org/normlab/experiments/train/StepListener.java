package org.normlab.experiments.train;

/**
 * Called around every optimizer step, for instruments that observe chosen steps (log.layers).
 * {@code step} is the number of optimizer steps done before this one (0 for the first).
 */
public interface StepListener {

    StepListener NONE = new StepListener() {};

    /** Just before step {@code step} of {@code epoch} (0-based) trains. */
    default void beforeStep(long step, int epoch) {}

    /** Just after it trained (also when its loss was not finite). */
    default void afterStep(long step, int epoch) {}
}

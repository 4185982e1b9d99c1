package org.normlab.data;

/** Receives the batches of one epoch from {@link BatchLoader#forEachBatch}. */
@FunctionalInterface
public interface BatchConsumer {

    /**
     * Handles one batch. The batch's arrays, and any array attached to their manager (results
     * of operations on x or y land there), are closed after this returns: read the numbers you
     * need (a loss, a count) before returning, and do not keep the arrays.
     */
    void accept(Batch batch);
}

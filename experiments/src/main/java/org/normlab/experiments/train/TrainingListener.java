package org.normlab.experiments.train;

/** Callbacks of the training loop (progress bars, metric files, checkpoints). */
public interface TrainingListener {

    /** After every training batch: {@code done} of {@code total} batches of the epoch. */
    default void onBatch(int epoch, int done, int total, double loss) {}

    /** After every epoch, with its metrics; {@code best} says whether val accuracy is the best so far. */
    default void onEpoch(EpochMetrics metrics, boolean best) {}
}

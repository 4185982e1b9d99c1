package org.normlab.engine;

/** Callbacks of the training loop (progress bars, metric files, checkpoints). */
public interface EpochListener {

    /** After every training batch: {@code done} of {@code total} batches of the epoch. */
    default void onBatch(int epoch, int done, int total, double loss) {}

    /** After every epoch, with its metrics; {@code best} says whether val accuracy is the best so far. */
    default void onEpoch(EpochMetrics metrics, boolean best) {}

    /** Every listener of {@code all}, in order. */
    static EpochListener all(Iterable<? extends EpochListener> all) {
        return new EpochListener() {
            @Override
            public void onBatch(int epoch, int done, int total, double loss) {
                all.forEach(l -> l.onBatch(epoch, done, total, loss));
            }

            @Override
            public void onEpoch(EpochMetrics metrics, boolean best) {
                all.forEach(l -> l.onEpoch(metrics, best));
            }
        };
    }
}

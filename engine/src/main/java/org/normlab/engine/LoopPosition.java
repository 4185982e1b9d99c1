package org.normlab.engine;

/**
 * Where a {@link TrainingLoop} is: the 0-based epoch under way, the training batches of it done,
 * and the optimizer steps done in the whole trial.
 */
record LoopPosition(int epoch, int batch, long step) {

    static final LoopPosition START = new LoopPosition(0, 0, 0);

    static LoopPosition of(Snapshot.Position saved) {
        return new LoopPosition(saved.epoch(), saved.batch(), saved.step());
    }

    /** One more batch of the epoch trained, one more optimizer step. */
    LoopPosition afterStep() {
        return new LoopPosition(epoch, batch + 1, step + 1);
    }

    LoopPosition nextEpoch() {
        return new LoopPosition(epoch + 1, 0, step);
    }
}

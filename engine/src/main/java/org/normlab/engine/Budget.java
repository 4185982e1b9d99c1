package org.normlab.engine;

/**
 * How long a {@link TrainingLoop} trains and when it evaluates: {@link Epochs} (an evaluation
 * after each) or exactly {@link Steps} optimizer steps (the data cycling through epochs, an
 * evaluation every {@code evalEvery} steps and after the last).
 */
sealed interface Budget {

    static Budget of(TrainingPlan plan) {
        return plan.steps() == null ? new Epochs(plan.epochs()) : new Steps(plan.steps(), plan.evalEverySteps());
    }

    /** Whether there is training left to do from {@code at}. */
    boolean remains(LoopPosition at);

    /** How many of the epoch's remaining batches the budget lets the loop train. */
    int batchesLeft(LoopPosition at, int batchesPerEpoch);

    /** The learning rate of the next step; {@code epochSize} is the images of an epoch. */
    float lr(LrSchedule schedule, LoopPosition at, PeriodTotals period, int epochSize);

    /** Whether the loop evaluates once step {@code step} (counted from 1) is done. */
    boolean evaluatesAfterStep(long step);

    /** Whether the loop evaluates after every epoch. */
    boolean evaluatesEachEpoch();

    /** The epoch number of a history row recorded at {@code at}. */
    int rowEpoch(LoopPosition at);

    record Epochs(int epochs) implements Budget {

        @Override
        public boolean remains(LoopPosition at) {
            return at.epoch() < epochs;
        }

        @Override
        public int batchesLeft(LoopPosition at, int batchesPerEpoch) {
            return batchesPerEpoch - at.batch();
        }

        /** The schedule at the fractional epoch: the images since the last evaluation are the epoch's so far. */
        @Override
        public float lr(LrSchedule schedule, LoopPosition at, PeriodTotals period, int epochSize) {
            return schedule.at(at.epoch(), period.images() / epochSize);
        }

        @Override
        public boolean evaluatesAfterStep(long step) {
            return false;
        }

        @Override
        public boolean evaluatesEachEpoch() {
            return true;
        }

        /** The epoch just trained, counted from 1 (the loop moves to the next one after recording it). */
        @Override
        public int rowEpoch(LoopPosition at) {
            return at.epoch() + 1;
        }
    }

    record Steps(long steps, long evalEvery) implements Budget {

        @Override
        public boolean remains(LoopPosition at) {
            return at.step() < steps;
        }

        @Override
        public int batchesLeft(LoopPosition at, int batchesPerEpoch) {
            return (int) Math.min(batchesPerEpoch - at.batch(), steps - at.step());
        }

        /** The schedule counts steps as its epochs. */
        @Override
        public float lr(LrSchedule schedule, LoopPosition at, PeriodTotals period, int epochSize) {
            return schedule.at((int) at.step(), 0);
        }

        @Override
        public boolean evaluatesAfterStep(long step) {
            return step % evalEvery == 0 || step == steps;
        }

        @Override
        public boolean evaluatesEachEpoch() {
            return false;
        }

        /** The epoch under way, counted from 1; the last one finished when none is under way. */
        @Override
        public int rowEpoch(LoopPosition at) {
            return at.epoch() + (at.batch() == 0 ? 0 : 1);
        }
    }
}

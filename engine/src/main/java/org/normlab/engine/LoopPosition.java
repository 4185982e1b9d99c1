package org.normlab.engine;

/**
 * Where a {@link TrainingLoop} is (epoch, batch within the epoch, step) and what the training
 * steps since the last evaluation add up to ({@code images} is also the epoch's progress in epoch
 * budgets, where the two coincide). Mutable: the loop advances it step by step; a
 * {@link Snapshot.Position} is its saved form.
 */
final class LoopPosition {
    int epoch;
    int batch;
    long step;
    double lossTimesN;
    double correct;
    double images;
    float lastLr;
    double bestAcc = -1;
    boolean evaluationDue;

    void nextEpoch() {
        epoch++;
        batch = 0;
    }

    void nextPeriod() {
        lossTimesN = 0;
        correct = 0;
        images = 0;
    }

    Snapshot.Position saved() {
        return new Snapshot.Position(epoch, batch, step, lossTimesN, correct, images, lastLr, bestAcc, evaluationDue);
    }

    static LoopPosition of(Snapshot.Position p) {
        LoopPosition c = new LoopPosition();
        c.epoch = p.epoch();
        c.batch = p.batch();
        c.step = p.step();
        c.lossTimesN = p.lossTimesN();
        c.correct = p.correct();
        c.images = p.images();
        c.lastLr = p.lastLr();
        c.bestAcc = p.bestValAcc();
        c.evaluationDue = p.evaluationDue();
        return c;
    }
}

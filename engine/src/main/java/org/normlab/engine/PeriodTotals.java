package org.normlab.engine;

/**
 * What the training steps since the last evaluation add up to, for its history row: the loss
 * times the images, the images classified right, the images, and the learning rate of the last
 * step (kept into the next period, whose row shows it until a step changes it).
 */
record PeriodTotals(double lossTimesN, double correct, double images, float lastLr) {

    static final PeriodTotals NONE = new PeriodTotals(0, 0, 0, 0);

    static PeriodTotals of(Snapshot.Position saved) {
        return new PeriodTotals(saved.lossTimesN(), saved.correct(), saved.images(), saved.lastLr());
    }

    /** With one more step of {@code n} images at {@code lr}. */
    PeriodTotals plus(float loss, long correctImages, long n, float lr) {
        return new PeriodTotals(lossTimesN + loss * n, correct + correctImages, images + n, lr);
    }

    /** The totals of a period that starts now. */
    PeriodTotals next() {
        return new PeriodTotals(0, 0, 0, lastLr);
    }

    double trainLoss() {
        return lossTimesN / images;
    }

    double trainAccuracy() {
        return correct / images;
    }
}

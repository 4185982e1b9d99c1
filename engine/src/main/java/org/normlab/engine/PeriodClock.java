package org.normlab.engine;

/**
 * The time of the period since the last evaluation: its wall time (evaluation and checkpoints
 * included) and how much of it was training, from which a history row's images per second come.
 */
final class PeriodClock {

    private long periodStart = System.nanoTime();
    private long trainingSince;
    private double trainingSeconds;

    /** A new period: at the start of a run and after every evaluation. */
    void restart() {
        periodStart = System.nanoTime();
        trainingSeconds = 0;
    }

    void startTraining() {
        trainingSince = System.nanoTime();
    }

    void stopTraining() {
        trainingSeconds += (System.nanoTime() - trainingSince) / 1e9;
    }

    /** Training images per second of the period; 0 when it has not timed any training (a resumed evaluation). */
    double imagesPerSecond(double images) {
        return trainingSeconds > 0 ? images / trainingSeconds : 0;
    }

    double periodSeconds() {
        return (System.nanoTime() - periodStart) / 1e9;
    }
}

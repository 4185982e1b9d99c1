package org.normlab.experiments.train;

import java.util.Map;

/**
 * What one epoch measured. Accuracies are fractions.
 *
 * @param valAccByComponent per mixed-dataset component (empty otherwise)
 */
public record EpochMetrics(
        int epoch,
        double lr,
        double trainLoss,
        double trainAcc,
        double valLoss,
        double valAcc,
        double trainImgPerSec,
        double epochSeconds,
        Map<String, Double> valAccByComponent) {

    public boolean isFinite() {
        return Double.isFinite(trainLoss) && Double.isFinite(valLoss);
    }
}

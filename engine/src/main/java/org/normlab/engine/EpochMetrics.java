package org.normlab.engine;

import java.util.Map;

/**
 * What one evaluation measured: the epoch in progress and the optimizer steps done, the training
 * loss and accuracy since the previous evaluation, the validation loss and accuracy. Accuracies
 * are fractions.
 *
 * @param valAccByComponent per mixed-dataset component (empty otherwise)
 */
public record EpochMetrics(
        int epoch,
        long step,
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

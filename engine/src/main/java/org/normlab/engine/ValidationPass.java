package org.normlab.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.normlab.results.FaultInjection;

/**
 * One pass of the model over an evaluation batch source: the mean loss, the accuracy and the
 * accuracy of each component the source names (NaN for a component without images).
 */
final class ValidationPass {

    /** What one pass measured. */
    record Result(double loss, double accuracy, Map<String, Double> byComponent) {}

    private final NDManager manager;
    private final TrainStep step;
    private final Runnable beforeBatch;

    /** @param beforeBatch runs before every batch (a stop request is honoured there) */
    ValidationPass(NDManager manager, TrainStep step, Runnable beforeBatch) {
        this.manager = manager;
        this.step = step;
        this.beforeBatch = beforeBatch;
    }

    /** What the evaluation adds up (sums only). */
    private static final class Totals {
        double lossTimesN;
        double correct;
        double images;
    }

    Result evaluate(BatchSource val, int epoch) {
        List<String> names = val.componentNames();
        Totals t = new Totals();
        long[] correctBy = new long[names.size()];
        long[] countBy = new long[names.size()];
        val.forEachBatch(manager, epoch, (x, y, components) -> {
            beforeBatch.run();
            FaultInjection.point("eval:forward");
            NDArray logits = step.predict(x);
            long n = x.getShape().get(0);
            t.lossTimesN += step.loss().loss(logits, y).getFloat() * n;
            boolean[] hits = hits(logits, y);
            for (int i = 0; i < hits.length; i++) {
                if (hits[i]) {
                    t.correct++;
                }
                if (components != null && !names.isEmpty()) {
                    countBy[components[i]]++;
                    correctBy[components[i]] += hits[i] ? 1 : 0;
                }
            }
            t.images += n;
        });
        Map<String, Double> byComponent = new LinkedHashMap<>();
        for (int c = 0; c < names.size(); c++) {
            byComponent.put(names.get(c), countBy[c] == 0 ? Double.NaN : (double) correctBy[c] / countBy[c]);
        }
        return new Result(t.lossTimesN / t.images, t.correct / t.images, byComponent);
    }

    private static boolean[] hits(NDArray logits, NDArray y) {
        long[] predicted = logits.argMax(1).toType(DataType.INT64, false).toLongArray();
        long[] labels = y.toType(DataType.INT64, false).toLongArray();
        boolean[] hits = new boolean[predicted.length];
        for (int i = 0; i < hits.length; i++) {
            hits[i] = predicted[i] == labels[i];
        }
        return hits;
    }
}

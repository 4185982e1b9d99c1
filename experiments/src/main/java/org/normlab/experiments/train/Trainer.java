package org.normlab.experiments.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The training loop of one trial: epochs of SGD on the train batches, then evaluation. It sees
 * only plain values and factories: an initialized block, batch sources, the loss, the
 * optimizer settings and the schedule. Stops early, as diverged, when a loss is not finite.
 */
public final class Trainer {

    /** How the loop ended. */
    public record Outcome(List<EpochMetrics> history, Integer divergedEpoch) {}

    private final NDManager manager;
    private final TrainStep step;
    private final LrSchedule schedule;
    private final TrainingListener listener;

    public Trainer(
            Block model,
            NDManager manager,
            CrossEntropy loss,
            LrSchedule schedule,
            double momentum,
            double weightDecay,
            boolean nesterov,
            TrainingListener listener) {
        this.manager = manager;
        this.step = new TrainStep(model, manager, loss, momentum, weightDecay, nesterov);
        this.schedule = schedule;
        this.listener = listener;
    }

    public Outcome fit(BatchSource train, BatchSource val, int epochs) {
        List<EpochMetrics> history = new ArrayList<>();
        double bestAcc = -1;
        try {
            for (int epoch = 0; epoch < epochs; epoch++) {
                EpochMetrics m = epoch(train, val, epoch);
                if (!m.isFinite()) {
                    return new Outcome(history, epoch + 1);
                }
                history.add(m);
                boolean best = m.valAcc() > bestAcc;
                bestAcc = Math.max(bestAcc, m.valAcc());
                listener.onEpoch(m, best);
            }
            return new Outcome(history, null);
        } finally {
            step.close();
        }
    }

    private EpochMetrics epoch(BatchSource train, BatchSource val, int epoch) {
        int epochSize = Math.max(1, train.size());
        double[] sums = new double[3]; // loss * n, correct, n
        int[] batch = {0};
        long start = System.nanoTime();
        float[] lastLr = {0};
        boolean[] finite = {true};
        train.forEachBatch(manager, epoch, (x, y, components) -> {
            if (!finite[0]) {
                return;
            }
            float lr = schedule.at(epoch, sums[2] / epochSize);
            lastLr[0] = lr;
            long n = x.getShape().get(0);
            TrainStep.Result r = step.step(x, y, lr);
            if (!Float.isFinite(r.loss())) {
                finite[0] = false;
                return;
            }
            float value = r.loss();
            sums[1] += r.correct();
            sums[0] += value * n;
            sums[2] += n;
            batch[0]++;
            listener.onBatch(epoch, batch[0], (int) Math.ceil((double) train.size() / n), value);
        });
        double trainSeconds = (System.nanoTime() - start) / 1e9;
        if (!finite[0]) {
            return new EpochMetrics(epoch + 1, lastLr[0], Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, trainSeconds, Map.of());
        }
        Evaluation eval = evaluate(val, epoch);
        return new EpochMetrics(
                epoch + 1,
                lastLr[0],
                sums[0] / sums[2],
                sums[1] / sums[2],
                eval.loss,
                eval.accuracy,
                sums[2] / trainSeconds,
                (System.nanoTime() - start) / 1e9,
                eval.byComponent);
    }

    private record Evaluation(double loss, double accuracy, Map<String, Double> byComponent) {}

    private Evaluation evaluate(BatchSource val, int epoch) {
        List<String> names = val.componentNames();
        double[] sums = new double[3];
        long[] correctBy = new long[names.size()];
        long[] countBy = new long[names.size()];
        val.forEachBatch(manager, epoch, (x, y, components) -> {
            NDArray logits = step.predict(x);
            long n = x.getShape().get(0);
            sums[0] += step.loss().loss(logits, y).getFloat() * n;
            boolean[] hits = hits(logits, y);
            for (int i = 0; i < hits.length; i++) {
                if (hits[i]) {
                    sums[1]++;
                }
                if (components != null && !names.isEmpty()) {
                    countBy[components[i]]++;
                    correctBy[components[i]] += hits[i] ? 1 : 0;
                }
            }
            sums[2] += n;
        });
        Map<String, Double> byComponent = new LinkedHashMap<>();
        for (int c = 0; c < names.size(); c++) {
            byComponent.put(names.get(c), countBy[c] == 0 ? Double.NaN : (double) correctBy[c] / countBy[c]);
        }
        return new Evaluation(sums[0] / sums[2], sums[1] / sums[2], byComponent);
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

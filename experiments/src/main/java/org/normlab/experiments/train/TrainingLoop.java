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
 * only plain values: an initialized block, batch sources and a {@link TrainingPlan}. Stops early,
 * as diverged, when a loss is not finite.
 */
public final class TrainingLoop {

    /**
     * How the loop ended.
     *
     * @param finalEvals the {@link FinalEvaluation}'s metrics; empty when the trial diverged
     */
    public record Outcome(List<EpochMetrics> history, Integer divergedEpoch, Map<String, Double> finalEvals) {}

    private final NDManager manager;
    private final TrainStep step;
    private final LrSchedule schedule;
    private final int epochs;
    private final EpochListener listener;
    private final StepListener stepListener;
    private final FinalEvaluation finalEvaluation;
    private long stepsDone;

    public TrainingLoop(Block model, NDManager manager, TrainingPlan plan, EpochListener listener) {
        this(model, manager, plan, listener, StepListener.NONE, FinalEvaluation.NONE);
    }

    /**
     * @param stepListener called around every optimizer step (log.layers)
     * @param finalEvaluation run after the last epoch unless the trial diverged (eval.stats)
     */
    public TrainingLoop(Block model, NDManager manager, TrainingPlan plan, EpochListener listener,
            StepListener stepListener, FinalEvaluation finalEvaluation) {
        this.stepListener = stepListener;
        this.finalEvaluation = finalEvaluation;
        this.manager = manager;
        this.step = new TrainStep(model, manager, new CrossEntropy(plan.labelSmoothing()),
                plan.momentum(), plan.weightDecay(), plan.nesterov());
        this.schedule = plan.schedule();
        this.epochs = plan.epochs();
        this.listener = listener;
    }

    public Outcome fit(BatchSource train, BatchSource val) {
        List<EpochMetrics> history = new ArrayList<>();
        double bestAcc = -1;
        try {
            for (int epoch = 0; epoch < epochs; epoch++) {
                EpochMetrics m = epoch(train, val, epoch);
                if (!m.isFinite()) {
                    return new Outcome(history, epoch + 1, Map.of());
                }
                history.add(m);
                boolean best = m.valAcc() > bestAcc;
                bestAcc = Math.max(bestAcc, m.valAcc());
                listener.onEpoch(m, best);
            }
            int last = epochs - 1;
            return new Outcome(history, null, finalEvaluation.evaluate(source -> evaluate(source, last).accuracy()));
        } finally {
            step.close();
        }
    }

    /** What one epoch's batches add up to (training uses every field, evaluation the sums). */
    private static final class EpochTotals {
        double lossTimesN;
        double correct;
        double images;
        int batches;
        float lastLr;
        boolean finite = true;
    }

    private EpochMetrics epoch(BatchSource train, BatchSource val, int epoch) {
        int epochSize = Math.max(1, train.size());
        EpochTotals t = new EpochTotals();
        long start = System.nanoTime();
        train.forEachBatch(manager, epoch, (x, y, components) -> {
            if (!t.finite) {
                return;
            }
            t.lastLr = schedule.at(epoch, t.images / epochSize);
            long n = x.getShape().get(0);
            stepListener.beforeStep(stepsDone, epoch);
            TrainStep.Result r = step.step(x, y, t.lastLr);
            stepListener.afterStep(stepsDone++, epoch);
            if (!Float.isFinite(r.loss())) {
                t.finite = false;
                return;
            }
            float value = r.loss();
            t.correct += r.correct();
            t.lossTimesN += value * n;
            t.images += n;
            t.batches++;
            listener.onBatch(epoch, t.batches, (int) Math.ceil((double) train.size() / n), value);
        });
        double trainSeconds = (System.nanoTime() - start) / 1e9;
        if (!t.finite) {
            return new EpochMetrics(epoch + 1, t.lastLr, Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, trainSeconds, Map.of());
        }
        Evaluation eval = evaluate(val, epoch);
        return new EpochMetrics(
                epoch + 1,
                t.lastLr,
                t.lossTimesN / t.images,
                t.correct / t.images,
                eval.loss,
                eval.accuracy,
                t.images / trainSeconds,
                (System.nanoTime() - start) / 1e9,
                eval.byComponent);
    }

    private record Evaluation(double loss, double accuracy, Map<String, Double> byComponent) {}

    private Evaluation evaluate(BatchSource val, int epoch) {
        List<String> names = val.componentNames();
        EpochTotals t = new EpochTotals();
        long[] correctBy = new long[names.size()];
        long[] countBy = new long[names.size()];
        val.forEachBatch(manager, epoch, (x, y, components) -> {
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
        return new Evaluation(t.lossTimesN / t.images, t.correct / t.images, byComponent);
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

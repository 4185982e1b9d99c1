package org.normlab.experiments.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.normlab.norm.ResumableRandom;
import org.normlab.results.FaultInjection;

/**
 * The training loop of one trial: SGD on the train batches and evaluations, for {@code epochs}
 * epochs (an evaluation after each) or for exactly {@code steps} optimizer steps (the data cycling
 * through epochs; an evaluation every {@code evalEverySteps} steps and at the end). It sees only
 * plain values: an initialized block, batch sources and a {@link TrainingPlan}. Stops early, as
 * diverged, when a loss is not finite. Each evaluation is one history row, with the training
 * loss and accuracy averaged over the steps since the previous one.
 *
 * <p>Its position is (epoch, batch within the epoch, step). After every evaluation (and every
 * {@code checkpointEverySteps} steps) it hands a {@link Snapshot} of everything the rest of the
 * trial depends on to its {@link Checkpoints}; {@link #fit} given such a snapshot continues from
 * it, and the trial goes on exactly as if it had never stopped. On a {@link Stop} request it
 * finishes the step (or evaluation batch) under way, saves a snapshot and throws {@link Stopped}.
 */
public final class TrainingLoop {

    /**
     * How the loop ended.
     *
     * @param history this run's rows (a resumed run's earlier rows are in its checkpoint)
     * @param steps optimizer steps done in the whole trial
     * @param epochsCompleted full passes over the training data
     * @param finalEvals the {@link FinalEvaluation}'s metrics; empty when the trial diverged
     */
    public record Outcome(
            List<EpochMetrics> history, Integer divergedEpoch, long steps, int epochsCompleted, Map<String, Double> finalEvals) {}

    /** Where a snapshot's checkpoint goes; returns a line saying what was saved where. */
    @FunctionalInterface
    public interface Checkpoints {
        String save(Snapshot snapshot);
    }

    /** Ends an epoch early: the {@code steps} budget is spent, or the trial diverged (control flow, no stack trace). */
    private static final class EpochEnds extends RuntimeException {
        EpochEnds() {
            super(null, null, false, false);
        }
    }

    private final Block model;
    private final NDManager manager;
    private final TrainStep step;
    private final LrSchedule schedule;
    private final int epochs;
    private final Long steps;
    private final long evalEverySteps;
    private final long checkpointEverySteps;
    private final EpochListener listener;
    private final Checkpoints checkpoints;
    private final Stop stop;
    private final StepListener stepListener;
    private final FinalEvaluation finalEvaluation;
    private final long seed;
    private final List<ResumableRandom> streams;
    private final List<EpochMetrics> history = new ArrayList<>();
    private Cursor at = new Cursor();
    private Integer divergedEpoch;
    private long periodStart;
    private double periodTrainSeconds;
    private String lastSaved;
    private boolean finalPhase;

    /**
     * @param seed the trial's seed, from which the engine is reseeded before every step
     * @param stepListener called around every optimizer step (log.layers)
     * @param finalEvaluation run after the last epoch unless the trial diverged (eval.stats)
     */
    public TrainingLoop(Block model, NDManager manager, TrainingPlan plan, EpochListener listener,
            Checkpoints checkpoints, Stop stop, long seed, StepListener stepListener, FinalEvaluation finalEvaluation) {
        this.model = model;
        this.stepListener = stepListener;
        this.finalEvaluation = finalEvaluation;
        this.manager = manager;
        this.step = new TrainStep(model, manager, new CrossEntropy(plan.labelSmoothing()),
                plan.momentum(), plan.weightDecay(), plan.nesterov());
        this.schedule = plan.schedule();
        this.epochs = plan.epochs();
        this.steps = plan.steps() == null ? null : plan.steps().longValue();
        this.evalEverySteps = plan.evalEverySteps();
        this.checkpointEverySteps = plan.checkpointEverySteps();
        this.listener = listener;
        this.checkpoints = checkpoints;
        this.stop = stop;
        this.seed = seed;
        this.streams = RandomStreams.of(model);
    }

    /**
     * Trains from the start, or from {@code resume} when not null.
     *
     * @throws Stopped when a stop was requested; a checkpoint was saved first
     */
    public Outcome fit(BatchSource train, BatchSource val, Snapshot resume) {
        try {
            if (resume != null) {
                restore(resume);
            }
            periodStart = System.nanoTime();
            stopIfRequested();
            if (at.evaluationDue) {
                evaluateAndRecord(val); // the run stopped during this evaluation
            }
            while (divergedEpoch == null && (steps == null ? at.epoch < epochs : at.step < steps)) {
                long before = at.step;
                trainEpoch(train, val, at.epoch);
                if (divergedEpoch != null) {
                    break;
                }
                if (steps == null) {
                    at.evaluationDue = true;
                    evaluateAndRecord(val);
                } else if (at.step == before && at.step < steps) {
                    throw new IllegalStateException("an epoch without a single training batch: the budget cannot be spent");
                } else if (at.batch == train.batches()) {
                    at.nextEpoch();
                }
            }
            if (divergedEpoch != null) {
                return new Outcome(history, divergedEpoch, at.step, at.epoch, Map.of());
            }
            // a stop from here on resumes from the state saved before the final evaluations (whose
            // installed statistics must not end up in a checkpoint)
            if (lastSaved == null) {
                lastSaved = checkpoints.save(snapshot());
            }
            finalPhase = true;
            int last = Math.max(0, at.epoch - 1);
            Map<String, Double> finalEvals = finalEvaluation.evaluate(source -> evaluate(source, last).accuracy());
            return new Outcome(history, null, at.step, at.epoch, finalEvals);
        } finally {
            step.close();
        }
    }

    /** The engine's seed for one step, so that anything drawing from it resumes exactly. */
    static int stepSeed(long seed, long step) {
        return Long.hashCode(new java.util.SplittableRandom(seed).split().nextLong() + step * 0x9E3779B97F4A7C15L);
    }

    private void stopIfRequested() {
        if (stop.requested()) {
            throw new Stopped(stop, finalPhase ? lastSaved : checkpoints.save(snapshot()));
        }
    }

    /**
     * The loop's position and what the training steps since the last evaluation add up to
     * ({@code images} is also the epoch's progress in epoch budgets, where the two coincide).
     */
    private static final class Cursor {
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

        Snapshot.Position position() {
            return new Snapshot.Position(epoch, batch, step, lossTimesN, correct, images, lastLr, bestAcc, evaluationDue);
        }

        static Cursor of(Snapshot.Position p) {
            Cursor c = new Cursor();
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

    /** Trains on the epoch's batches from the position on; with a steps budget, evaluates on the way. */
    private void trainEpoch(BatchSource train, BatchSource val, int epoch) {
        int epochSize = Math.max(1, train.size());
        int skip = at.batch;
        int[] seen = {0};
        long start = System.nanoTime();
        try {
            train.forEachBatch(manager, epoch, (x, y, components) -> {
                if (seen[0]++ < skip) {
                    return; // done before the checkpoint this run resumed from
                }
                FaultInjection.point("train:batch");
                at.lastLr = steps == null ? schedule.at(epoch, at.images / epochSize) : schedule.at((int) at.step, 0);
                long n = x.getShape().get(0);
                Engine.getInstance().setRandomSeed(stepSeed(seed, at.step));
                stepListener.beforeStep(at.step, epoch);
                TrainStep.Result r = step.step(x, y, at.lastLr);
                stepListener.afterStep(at.step, epoch);
                if (!Float.isFinite(r.loss())) {
                    divergedEpoch = epoch + 1;
                    throw new EpochEnds();
                }
                float value = r.loss();
                at.correct += r.correct();
                at.lossTimesN += value * n;
                at.images += n;
                at.batch++;
                at.step++;
                listener.onBatch(epoch, at.batch, (int) Math.ceil((double) train.size() / n), value);
                boolean evaluated = false;
                if (steps != null && (at.step % evalEverySteps == 0 || at.step == steps)) {
                    periodTrainSeconds += (System.nanoTime() - start) / 1e9;
                    if (at.batch == train.batches()) {
                        at.nextEpoch(); // the checkpoint then says "after epoch N"
                    }
                    at.evaluationDue = true;
                    evaluateAndRecord(val);
                    evaluated = true;
                    if (divergedEpoch != null) {
                        throw new EpochEnds();
                    }
                }
                if (stop.requested()) {
                    throw new Stopped(stop, checkpoints.save(snapshot()));
                }
                if (!evaluated && checkpointEverySteps > 0 && at.step % checkpointEverySteps == 0) {
                    checkpoints.save(snapshot());
                }
                if (steps != null && at.step == steps) {
                    throw new EpochEnds();
                }
            });
            periodTrainSeconds += (System.nanoTime() - start) / 1e9;
        } catch (EpochEnds e) {
            // the budget was spent (its last evaluation done) or the trial diverged
        }
    }

    /**
     * Evaluates, records the history row of the steps since the last evaluation, and saves the
     * resume state after it. A stop during the evaluation saves the state before it (with the
     * evaluation due), so that a resumed run evaluates again.
     */
    private void evaluateAndRecord(BatchSource val) {
        Evaluation eval = evaluate(val, at.epoch);
        boolean epochBudget = steps == null;
        EpochMetrics m = new EpochMetrics(
                epochBudget ? at.epoch + 1 : at.epoch + (at.batch == 0 ? 0 : 1),
                at.step,
                at.lastLr,
                at.lossTimesN / at.images,
                at.correct / at.images,
                eval.loss,
                eval.accuracy,
                periodTrainSeconds > 0 ? at.images / periodTrainSeconds : 0,
                (System.nanoTime() - periodStart) / 1e9,
                eval.byComponent);
        at.evaluationDue = false;
        if (!m.isFinite()) {
            divergedEpoch = m.epoch();
            return;
        }
        history.add(m);
        boolean best = m.valAcc() > at.bestAcc;
        at.bestAcc = Math.max(at.bestAcc, m.valAcc());
        listener.onEpoch(m, best);
        at.nextPeriod();
        if (epochBudget) {
            at.nextEpoch();
        }
        periodStart = System.nanoTime();
        periodTrainSeconds = 0;
        String saved = checkpoints.save(snapshot());
        lastSaved = saved;
        if (stop.requested()) {
            throw new Stopped(stop, saved);
        }
    }

    private record Evaluation(double loss, double accuracy, Map<String, Double> byComponent) {}

    /** What the evaluation adds up (sums only). */
    private static final class EvalTotals {
        double lossTimesN;
        double correct;
        double images;
    }

    private Evaluation evaluate(BatchSource val, int epoch) {
        List<String> names = val.componentNames();
        EvalTotals t = new EvalTotals();
        long[] correctBy = new long[names.size()];
        long[] countBy = new long[names.size()];
        val.forEachBatch(manager, epoch, (x, y, components) -> {
            // the epoch's training is in the snapshot; a resumed run evaluates again from the start
            stopIfRequested();
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

    /** Everything the rest of the trial depends on, as it is now. */
    private Snapshot snapshot() {
        Map<String, byte[]> parameters = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : model.getParameters()) {
            parameters.put(p.getKey(), p.getValue().getArray().encode());
        }
        List<Long> positions = streams.stream().map(ResumableRandom::position).toList();
        return new Snapshot(at.position(), parameters, step.sgd().momentumBuffers(), positions);
    }

    private void restore(Snapshot s) {
        for (Pair<String, Parameter> p : model.getParameters()) {
            byte[] saved = s.parameters().get(p.getKey());
            NDArray target = p.getValue().getArray();
            if (saved == null) {
                throw new IllegalStateException("the checkpoint has no parameter " + p.getKey());
            }
            try (NDArray value = manager.decode(saved)) {
                if (!value.getShape().equals(target.getShape()) || value.getDataType() != target.getDataType()) {
                    throw new IllegalStateException("the checkpoint's " + p.getKey() + " is " + value.getShape()
                            + " " + value.getDataType() + ", the model's " + target.getShape() + " " + target.getDataType());
                }
                target.set(value.toByteBuffer());
            }
        }
        if (s.parameters().size() != model.getParameters().size()) {
            throw new IllegalStateException("the checkpoint has " + s.parameters().size() + " parameters, the model "
                    + model.getParameters().size());
        }
        step.sgd().restoreMomentum(s.momentum());
        if (s.randomStreams().size() != streams.size()) {
            throw new IllegalStateException("the checkpoint has " + s.randomStreams().size()
                    + " random streams, the model " + streams.size());
        }
        for (int i = 0; i < streams.size(); i++) {
            streams.get(i).seek(s.randomStreams().get(i));
        }
        at = Cursor.of(s.position());
    }
}

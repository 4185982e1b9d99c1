package org.normlab.engine;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    private final ModelState state;
    private final ValidationPass validation;
    private final List<EpochMetrics> history = new ArrayList<>();
    private LoopPosition at = new LoopPosition();
    private Integer divergedEpoch;
    private long periodStart;
    private double periodTrainSeconds;
    /** When the current period's training time started counting (the epoch's start, or the last evaluation's end). */
    private long trainingSince;
    /** Batches the current epoch has delivered, the skipped ones included. */
    private int batchesDelivered;
    private String lastSaved;
    private boolean finalPhase;

    /**
     * @param seed the trial's seed, from which the engine is reseeded before every step
     * @param stepListener called around every optimizer step (log.layers)
     * @param finalEvaluation run after the last epoch unless the trial diverged (eval.stats)
     */
    public TrainingLoop(Block model, NDManager manager, TrainingPlan plan, EpochListener listener,
            Checkpoints checkpoints, Stop stop, long seed, StepListener stepListener, FinalEvaluation finalEvaluation) {
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
        this.state = new ModelState(model, manager, step.sgd());
        // the epoch's training is in the snapshot; a resumed run evaluates again from the start
        this.validation = new ValidationPass(manager, step, this::stopIfRequested);
    }

    /**
     * Trains from the start, or from {@code resume} when not null.
     *
     * @throws Stopped when a stop was requested; a checkpoint was saved first
     */
    public Outcome fit(BatchSource train, BatchSource val, Snapshot resume) {
        try {
            if (resume != null) {
                state.restore(resume);
                at = LoopPosition.of(resume.position());
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
            Map<String, Double> finalEvals = finalEvaluation.evaluate(source -> validation.evaluate(source, last).accuracy());
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

    /** Trains on the epoch's batches from the position on; with a steps budget, evaluates on the way. */
    private void trainEpoch(BatchSource train, BatchSource val, int epoch) {
        int epochSize = Math.max(1, train.size());
        int skip = at.batch;
        batchesDelivered = 0;
        trainingSince = System.nanoTime();
        try {
            train.forEachBatch(manager, epoch, (x, y, components) -> {
                if (batchesDelivered++ < skip) {
                    return; // done before the checkpoint this run resumed from
                }
                FaultInjection.point("train:batch");
                at.lastLr = steps == null ? schedule.at(epoch, at.images / epochSize) : schedule.at((int) at.step, 0);
                long n = x.getShape().get(0);
                stepListener.beforeStep(at.step, epoch, batchesDelivered - 1, x);
                Engine.getInstance().setRandomSeed(stepSeed(seed, at.step));
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
                    periodTrainSeconds += (System.nanoTime() - trainingSince) / 1e9;
                    if (at.batch == train.batches()) {
                        at.nextEpoch(); // the checkpoint then says "after epoch N"
                    }
                    at.evaluationDue = true;
                    evaluateAndRecord(val);
                    trainingSince = System.nanoTime(); // the evaluation's time is not training time
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
            periodTrainSeconds += (System.nanoTime() - trainingSince) / 1e9;
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
        ValidationPass.Result eval = validation.evaluate(val, at.epoch);
        boolean epochBudget = steps == null;
        EpochMetrics m = new EpochMetrics(
                epochBudget ? at.epoch + 1 : at.epoch + (at.batch == 0 ? 0 : 1),
                at.step,
                at.lastLr,
                at.lossTimesN / at.images,
                at.correct / at.images,
                eval.loss(),
                eval.accuracy(),
                periodTrainSeconds > 0 ? at.images / periodTrainSeconds : 0,
                (System.nanoTime() - periodStart) / 1e9,
                eval.byComponent());
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

    /** Everything the rest of the trial depends on, as it is now. */
    private Snapshot snapshot() {
        return state.capture(at.saved());
    }
}

package org.normlab.engine;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.normlab.results.FaultInjection;

/**
 * The training loop of one trial: SGD on the train batches and evaluations, for as long as its
 * {@link Budget} says (epochs, an evaluation after each, or exactly so many optimizer steps, an
 * evaluation every so many). It sees only plain values: an initialized block, batch sources and a
 * {@link TrainingPlan}. Stops early, as diverged, when a loss is not finite. Each evaluation is one
 * history row, with the training loss and accuracy averaged over the steps since the previous one.
 *
 * <p>Its state is its {@link LoopPosition}, the {@link PeriodTotals} since the last evaluation,
 * the best validation accuracy and whether an evaluation is under way. Where {@link Checkpointing}
 * says, it hands a {@link Snapshot} of everything the rest of the trial depends on to its {@link
 * Checkpoints}; {@link #fit} given such a snapshot continues from it, and the trial goes on exactly
 * as if it had never stopped. On a {@link Stop} request it finishes the step (or evaluation batch)
 * under way, saves a snapshot and throws {@link Stopped}.
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

    private final NDManager manager;
    private final TrainStep step;
    private final LrSchedule schedule;
    private final Budget budget;
    private final EpochListener listener;
    private final Checkpointing checkpointing;
    private final StepListener stepListener;
    private final FinalEvaluation finalEvaluation;
    private final long seed;
    private final ModelState state;
    private final ValidationPass validation;
    private final PeriodClock clock = new PeriodClock();
    private final List<EpochMetrics> history = new ArrayList<>();
    private LoopPosition at = LoopPosition.START;
    private PeriodTotals period = PeriodTotals.NONE;
    private double bestValAcc = -1;
    /** An evaluation is under way: a checkpoint saved now makes the resumed run evaluate first. */
    private boolean evaluationDue;
    private Integer divergedEpoch;

    /**
     * @param seed the trial's seed, from which the engine is reseeded before every step
     * @param stepListener called around every optimizer step (log.layers)
     * @param finalEvaluation run after the last epoch unless the trial diverged (eval.stats)
     */
    public TrainingLoop(Block model, NDManager manager, TrainingPlan plan, EpochListener listener,
            Checkpoints checkpoints, Stop stop, long seed, StepListener stepListener, FinalEvaluation finalEvaluation) {
        this.manager = manager;
        this.step = new TrainStep(model, manager, new CrossEntropy(plan.labelSmoothing()),
                plan.momentum(), plan.weightDecay(), plan.nesterov());
        this.schedule = plan.schedule();
        this.budget = Budget.of(plan);
        this.listener = listener;
        this.checkpointing = new Checkpointing(checkpoints, stop, plan.checkpointEverySteps(), this::snapshot);
        this.seed = seed;
        this.stepListener = stepListener;
        this.finalEvaluation = finalEvaluation;
        this.state = new ModelState(model, manager, step.sgd());
        // the epoch's training is in the snapshot; a resumed run evaluates again from the start
        this.validation = new ValidationPass(manager, step, checkpointing::stopIfRequested);
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
            clock.restart();
            checkpointing.stopIfRequested();
            if (evaluationDue) {
                evaluate(val); // the run stopped during this evaluation
            }
            while (divergedEpoch == null && budget.remains(at)) {
                int steps = trainEpoch(train, val);
                if (divergedEpoch == null) {
                    endEpoch(train, val, steps);
                }
            }
            return divergedEpoch != null ? new Outcome(history, divergedEpoch, at.step(), at.epoch(), Map.of()) : finalEvaluations();
        } finally {
            step.close();
        }
    }

    /** The engine's seed for one step, so that anything drawing from it resumes exactly. */
    static int stepSeed(long seed, long step) {
        return Long.hashCode(new java.util.SplittableRandom(seed).split().nextLong() + step * 0x9E3779B97F4A7C15L);
    }

    /** Trains the epoch's batches from the position on, as many as the budget allows; returns the steps done. */
    private int trainEpoch(BatchSource train, BatchSource val) {
        int epoch = at.epoch();
        long before = at.step();
        clock.startTraining();
        train.forEachBatch(manager, epoch, at.batch(), at.batch() + budget.batchesLeft(at, train.batches()),
                (batch, x, y, components) -> {
                    if (divergedEpoch == null && trainBatch(train, epoch, batch, x, y)) {
                        afterStep(train, val);
                    }
                });
        clock.stopTraining();
        return (int) (at.step() - before);
    }

    /** One optimizer step; false when its loss is not finite (the trial diverged, its parameters untouched). */
    private boolean trainBatch(BatchSource train, int epoch, int batch, NDArray x, NDArray y) {
        FaultInjection.point("train:batch");
        float lr = budget.lr(schedule, at, period, Math.max(1, train.size()));
        long n = x.getShape().get(0);
        stepListener.beforeStep(at.step(), epoch, batch, x);
        Engine.getInstance().setRandomSeed(stepSeed(seed, at.step()));
        TrainStep.Result r = step.step(x, y, lr);
        stepListener.afterStep(at.step(), epoch);
        if (!Float.isFinite(r.loss())) {
            divergedEpoch = epoch + 1;
            return false;
        }
        period = period.plus(r.loss(), r.correct(), n, lr);
        at = at.afterStep();
        listener.onBatch(epoch, at.batch(), (int) Math.ceil((double) train.size() / n), r.loss());
        return true;
    }

    /** After a step: the evaluation the budget schedules, then a requested stop or a periodic checkpoint. */
    private void afterStep(BatchSource train, BatchSource val) {
        boolean evaluates = budget.evaluatesAfterStep(at.step());
        if (evaluates) {
            clock.stopTraining(); // the evaluation's time is not training time
            if (at.batch() == train.batches()) {
                at = at.nextEpoch(); // the checkpoint then says "after epoch N"
            }
            evaluate(val);
            clock.startTraining();
            if (divergedEpoch != null) {
                return;
            }
        }
        checkpointing.afterStep(at.step(), evaluates);
    }

    /**
     * After the epoch's batches: an epoch budget evaluates; a steps budget goes on to the next
     * epoch once this one's batches are all done (also when a run stopped after an epoch's last
     * step resumes), and refuses an epoch that has no batch to train.
     */
    private void endEpoch(BatchSource train, BatchSource val, int steps) {
        if (budget.evaluatesEachEpoch()) {
            evaluate(val);
        } else if (at.batch() == train.batches() && train.batches() > 0) {
            at = at.nextEpoch();
        } else if (steps == 0) {
            throw new IllegalStateException("an epoch without a single training batch: the budget cannot be spent");
        }
    }

    /**
     * Evaluates, records the history row of the steps since the last evaluation, and saves the
     * resume state after it. A stop during the evaluation saves the state before it (with the
     * evaluation due), so that a resumed run evaluates again.
     */
    private void evaluate(BatchSource val) {
        evaluationDue = true;
        ValidationPass.Result eval = validation.evaluate(val, at.epoch());
        EpochMetrics m = new EpochMetrics(budget.rowEpoch(at), at.step(), period.lastLr(), period.trainLoss(),
                period.trainAccuracy(), eval.loss(), eval.accuracy(), clock.imagesPerSecond(period.images()),
                clock.periodSeconds(), eval.byComponent());
        evaluationDue = false;
        if (!m.isFinite()) {
            divergedEpoch = m.epoch();
            return;
        }
        history.add(m);
        boolean best = m.valAcc() > bestValAcc;
        bestValAcc = Math.max(bestValAcc, m.valAcc());
        listener.onEpoch(m, best);
        period = period.next();
        if (budget.evaluatesEachEpoch()) {
            at = at.nextEpoch();
        }
        clock.restart();
        checkpointing.afterEvaluation();
    }

    /** The {@link FinalEvaluation} after the last step; a stop during it resumes from the state saved before it. */
    private Outcome finalEvaluations() {
        ValidationPass pass = new ValidationPass(manager, step, checkpointing.finalEvaluations());
        int last = Math.max(0, at.epoch() - 1);
        Map<String, Double> finalEvals = finalEvaluation.evaluate(source -> pass.evaluate(source, last).accuracy());
        return new Outcome(history, null, at.step(), at.epoch(), finalEvals);
    }

    private void restore(Snapshot resume) {
        state.restore(resume);
        Snapshot.Position p = resume.position();
        at = LoopPosition.of(p);
        period = PeriodTotals.of(p);
        bestValAcc = p.bestValAcc();
        evaluationDue = p.evaluationDue();
    }

    /** Everything the rest of the trial depends on, as it is now. */
    private Snapshot snapshot() {
        return state.capture(new Snapshot.Position(at.epoch(), at.batch(), at.step(), period.lossTimesN(), period.correct(),
                period.images(), period.lastLr(), bestValAcc, evaluationDue));
    }
}

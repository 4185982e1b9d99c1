package org.normlab.engine;

import java.util.function.Supplier;

/**
 * When a {@link TrainingLoop} saves its resume state and honours a {@link Stop}: after every
 * evaluation, every {@code everySteps} steps besides, and whenever it stops (it finishes the step
 * or evaluation batch under way, saves, and throws {@link Stopped} naming what it saved). During
 * the final evaluations a stop names the last evaluation's checkpoint instead, since their
 * installed statistics must not end up in a checkpoint.
 */
final class Checkpointing {

    private final TrainingLoop.Checkpoints checkpoints;
    private final Stop stop;
    private final long everySteps;
    private final Supplier<Snapshot> snapshot;
    /** The checkpoint of the last evaluation, from which a stop during the final evaluations resumes. */
    private String lastEvaluation;

    /** @param everySteps steps between checkpoints besides those after evaluations (0: none) */
    Checkpointing(TrainingLoop.Checkpoints checkpoints, Stop stop, long everySteps, Supplier<Snapshot> snapshot) {
        this.checkpoints = checkpoints;
        this.stop = stop;
        this.everySteps = everySteps;
        this.snapshot = snapshot;
    }

    /** Saves and stops when a stop was requested (at the start of a run, before an evaluation batch). */
    void stopIfRequested() {
        if (stop.requested()) {
            throw new Stopped(stop, checkpoints.save(snapshot.get()));
        }
    }

    /** After step {@code step}: stops when requested, or saves when it is one of every {@code everySteps} (unless it was just evaluated). */
    void afterStep(long step, boolean evaluated) {
        stopIfRequested();
        if (!evaluated && everySteps > 0 && step % everySteps == 0) {
            checkpoints.save(snapshot.get());
        }
    }

    /** After an evaluation's row is recorded: saves, then stops when requested. */
    void afterEvaluation() {
        lastEvaluation = checkpoints.save(snapshot.get());
        if (stop.requested()) {
            throw new Stopped(stop, lastEvaluation);
        }
    }

    /**
     * Before the final evaluations: the check to run before each of their batches, which stops
     * naming the last evaluation's checkpoint (saved now when this run evaluated nothing).
     */
    Runnable finalEvaluations() {
        String resumable = lastEvaluation != null ? lastEvaluation : checkpoints.save(snapshot.get());
        return () -> {
            if (stop.requested()) {
                throw new Stopped(stop, resumable);
            }
        };
    }
}

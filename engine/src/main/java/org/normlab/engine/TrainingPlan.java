package org.normlab.engine;

/**
 * How one trial trains, as plain values: the loop's length ({@code epochs}, or exactly
 * {@code steps} optimizer steps when not null, with an evaluation every {@code evalEverySteps}),
 * SGD's settings (PyTorch semantics), the schedule (in steps with a steps budget), the loss,
 * whether best/final weights are kept, and how often the resume state is saved besides after
 * every evaluation ({@code checkpointEverySteps}, 0: only there).
 */
public record TrainingPlan(
        int epochs,
        Integer steps,
        long evalEverySteps,
        LrSchedule schedule,
        double momentum,
        double weightDecay,
        boolean nesterov,
        double labelSmoothing,
        boolean checkpoints,
        long checkpointEverySteps) {}

package org.normlab.experiments.train;

/**
 * How one trial trains, as plain values: the loop's length, SGD's settings (PyTorch semantics),
 * the schedule, the loss and whether checkpoints are kept.
 */
public record TrainingPlan(
        int epochs,
        LrSchedule schedule,
        double momentum,
        double weightDecay,
        boolean nesterov,
        double labelSmoothing,
        boolean checkpoints) {}

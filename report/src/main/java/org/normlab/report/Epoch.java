package org.normlab.report;

/** One epoch of a trial's history; a value that was missing or not finite is NaN. */
public record Epoch(int epoch, double trainLoss, double trainAcc, double valLoss, double valAcc) {}

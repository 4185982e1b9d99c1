package org.normlab.report;

/** One entry of trials.json. */
public record PlannedTrial(String trialId, Integer seed, Settings swept) {}

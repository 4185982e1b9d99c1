package org.normlab.results;

/** The file names of a sweep's results folder (RESULTS-FORMAT.md). */
public final class FileNames {

    /** Every planned trial: trial_id, seed, swept. */
    public static final String TRIALS = "trials.json";
    /** The resolved sweep. */
    public static final String SWEEP = "sweep.yaml";
    /** One row per trial with a result, rebuilt from the result.json files. */
    public static final String RESULTS_CSV = "results.csv";
    /** A shard's part of the sweep and the whole sweep's plan. */
    public static final String SHARD = "shard.json";
    /** The finished trials a run skipped although their provenance changed (see {@link StaleTrials}). */
    public static final String STALE = "stale.json";
    /** In each trial's folder: how it ended; its presence means the trial has a result. */
    public static final String RESULT = "result.json";
    /** In each trial's folder: the resolved settings. */
    public static final String CONFIG = "config.yaml";
    /** In each trial's folder: one row per epoch. */
    public static final String METRICS = "metrics.csv";
    /** In each trial's folder, with log.layers: one row per norm layer and sample point. */
    public static final String LAYERS = "layers.csv";

    private FileNames() {}
}

package org.normlab.results;

import java.util.List;

/**
 * The names in a sweep's result files (RESULTS-FORMAT.md is the contract), in one place for the
 * writers ({@link TrialResult}, {@link ResultStore}) and the readers (the report, merge, the
 * crash-safe rerun): result.json's keys and metrics, metrics.csv's and results.csv's columns.
 */
public final class ResultSchema {

    // result.json, top level (also trials.json's and results.csv's first columns)
    public static final String TRIAL_ID = "trial_id";
    public static final String SWEEP = "sweep";
    public static final String STATUS = "status";
    public static final String SEED = "seed";
    public static final String SWEPT = "swept";
    public static final String CONFIG = "config";
    public static final String METRICS = "metrics";
    public static final String HISTORY = "history";
    public static final String DIVERGED_EPOCH = "diverged_epoch";
    public static final String ERROR = "error";
    public static final String RSS_MB = "rss_mb";
    public static final String FINISHED_AT = "finished_at";

    // result.json's "metrics"; the summary metrics are results.csv's columns of the same names
    public static final String FINAL_VAL_ACC = "final_val_acc";
    public static final String BEST_VAL_ACC = "best_val_acc";
    public static final String BEST_EPOCH = "best_epoch";
    public static final String FINAL_TRAIN_ACC = "final_train_acc";
    public static final String FINAL_VAL_LOSS = "final_val_loss";
    public static final String PARAMS = "params";
    public static final String TRAIN_IMG_S = "train_img_s";
    public static final String WALL_S = "wall_s";
    public static final String EPOCHS_COMPLETED = "epochs_completed";
    public static final String VAL_ACC_BY_COMPONENT = "val_acc_by_component";
    public static final String STEPS_COMPLETED = "steps_completed";
    /** eval.stats: written only when asked for. */
    public static final String FINAL_VAL_ACC_EMA = "final_val_acc_ema";
    public static final String FINAL_VAL_ACC_PRECISE = "final_val_acc_precise";
    public static final String FINAL_VAL_ACC_BATCH = "final_val_acc_batch";

    // a history entry of result.json, a row of metrics.csv (train_img_s as above)
    public static final String EPOCH = "epoch";
    public static final String STEP = "step";
    public static final String LR = "lr";
    public static final String TRAIN_LOSS = "train_loss";
    public static final String TRAIN_ACC = "train_acc";
    public static final String VAL_LOSS = "val_loss";
    public static final String VAL_ACC = "val_acc";
    public static final String EPOCH_S = "epoch_s";
    /** metrics.csv's column, and the report's metric name, of one dataset component's val_acc. */
    public static final String COMPONENT_PREFIX = VAL_ACC + ".";

    /** results.csv's metric columns, after the swept keys, in this order. */
    public static final List<String> RESULTS_CSV_METRICS =
            List.of(FINAL_VAL_ACC, BEST_VAL_ACC, FINAL_TRAIN_ACC, FINAL_VAL_LOSS, PARAMS, TRAIN_IMG_S, WALL_S);
    /** The eval.stats metrics, in this order; results.csv has a column for each that some trial has. */
    public static final List<String> EVAL_STATS_METRICS = List.of(FINAL_VAL_ACC_EMA, FINAL_VAL_ACC_PRECISE, FINAL_VAL_ACC_BATCH);
    /** metrics.csv's columns before the {@code val_acc.<component>} ones, in this order. */
    public static final List<String> METRICS_CSV_COLUMNS =
            List.of(EPOCH, STEP, LR, TRAIN_LOSS, TRAIN_ACC, VAL_LOSS, VAL_ACC, TRAIN_IMG_S, EPOCH_S);

    /** What differs between two runs of the same trial (see {@link RunDependent}). */
    static final List<String> RUN_DEPENDENT_TOP = List.of(FINISHED_AT, RSS_MB);
    static final List<String> RUN_DEPENDENT_METRICS = List.of(TRAIN_IMG_S, WALL_S);
    static final List<String> RUN_DEPENDENT_EPOCH = List.of(TRAIN_IMG_S, EPOCH_S);

    private ResultSchema() {}
}

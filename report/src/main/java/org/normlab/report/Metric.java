package org.normlab.report;

import java.util.List;
import java.util.Locale;
import org.normlab.results.ResultSchema;

/**
 * A final metric of a trial that the report aggregates and a baseline checks.
 *
 * @param name the key in result.json's "metrics" (components: {@code val_acc.<component>})
 * @param direction which way is worse, for regression checks
 * @param defaultTolerance the absolute change a baseline check allows by default; null when the
 *     metric is only printed unless the user gives a tolerance
 * @param decimals how many decimals to print
 */
public record Metric(String name, String label, Direction direction, Double defaultTolerance, int decimals) {

    /** Which change of a metric is a regression. */
    public enum Direction {
        /** Accuracies: lower is worse. */
        HIGHER_IS_BETTER,
        /** Losses: higher is worse. */
        LOWER_IS_BETTER,
        /** Parameter counts: any change beyond the tolerance is a failure. */
        EXACT
    }

    public static final Metric FINAL_VAL_ACC =
            new Metric(ResultSchema.FINAL_VAL_ACC, "final val acc", Direction.HIGHER_IS_BETTER, 0.02, 4);
    public static final Metric BEST_VAL_ACC =
            new Metric(ResultSchema.BEST_VAL_ACC, "best val acc", Direction.HIGHER_IS_BETTER, 0.02, 4);
    public static final Metric FINAL_TRAIN_ACC =
            new Metric(ResultSchema.FINAL_TRAIN_ACC, "final train acc", Direction.HIGHER_IS_BETTER, 0.02, 4);
    public static final Metric FINAL_VAL_LOSS =
            new Metric(ResultSchema.FINAL_VAL_LOSS, "final val loss", Direction.LOWER_IS_BETTER, 0.05, 4);
    public static final Metric PARAMS = new Metric(ResultSchema.PARAMS, "params", Direction.EXACT, 0.0, 0);
    /** Throughput depends on the machine: printed, never checked unless a tolerance is given. */
    public static final Metric TRAIN_IMG_S =
            new Metric(ResultSchema.TRAIN_IMG_S, "train images/s", Direction.HIGHER_IS_BETTER, null, 1);

    public static final List<Metric> STANDARD =
            List.of(FINAL_VAL_ACC, BEST_VAL_ACC, FINAL_TRAIN_ACC, FINAL_VAL_LOSS, PARAMS, TRAIN_IMG_S);

    /** eval.stats (final_val_acc is the ema one); in a trial's metrics only when it asked for them. */
    public static final Metric FINAL_VAL_ACC_EMA =
            new Metric(ResultSchema.FINAL_VAL_ACC_EMA, "final val acc [ema]", Direction.HIGHER_IS_BETTER, 0.02, 4);
    public static final Metric FINAL_VAL_ACC_PRECISE =
            new Metric(ResultSchema.FINAL_VAL_ACC_PRECISE, "final val acc [precise]", Direction.HIGHER_IS_BETTER, 0.02, 4);
    public static final Metric FINAL_VAL_ACC_BATCH =
            new Metric(ResultSchema.FINAL_VAL_ACC_BATCH, "final val acc [batch]", Direction.HIGHER_IS_BETTER, 0.02, 4);

    public static final List<Metric> EVAL_STATS = List.of(FINAL_VAL_ACC_EMA, FINAL_VAL_ACC_PRECISE, FINAL_VAL_ACC_BATCH);

    static final String COMPONENT_PREFIX = ResultSchema.COMPONENT_PREFIX;

    /** The validation accuracy on one component of a mixed dataset. */
    public static Metric component(String component) {
        return new Metric(
                COMPONENT_PREFIX + component, "val acc [" + component + "]", Direction.HIGHER_IS_BETTER, 0.02, 4);
    }

    /** The metric called {@code name}, or null when there is no such metric. */
    public static Metric byName(String name) {
        for (Metric m : STANDARD) {
            if (m.name.equals(name)) {
                return m;
            }
        }
        for (Metric m : EVAL_STATS) {
            if (m.name.equals(name)) {
                return m;
            }
        }
        if (name.startsWith(COMPONENT_PREFIX) && name.length() > COMPONENT_PREFIX.length()) {
            return component(name.substring(COMPONENT_PREFIX.length()));
        }
        return null;
    }

    public boolean isComponent() {
        return name.startsWith(COMPONENT_PREFIX);
    }

    /** {@code value} with this metric's decimals; "—" for NaN. */
    public String format(double value) {
        if (Double.isNaN(value)) {
            return "—";
        }
        if (decimals == 0) {
            return String.format(Locale.ROOT, "%,d", Math.round(value));
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    /** "0.9010 ± 0.0040", "0.9010 ± —" for a single value, "—" for none. */
    public String format(Summary s) {
        if (s.n() == 0) {
            return "—";
        }
        return format(s.mean()) + " ± " + format(s.std());
    }
}

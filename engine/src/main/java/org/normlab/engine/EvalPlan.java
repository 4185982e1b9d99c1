package org.normlab.engine;

import java.util.List;
import java.util.function.Supplier;

/**
 * eval.stats as plain values.
 *
 * @param stats which evaluations: ema, precise, batch
 * @param preciseImages training images the precise statistics average over
 * @param batchEvalData the validation batches at eval.batch_size, built when first needed
 */
public record EvalPlan(List<String> stats, int preciseImages, Supplier<BatchSource> batchEvalData) {

    public static final EvalPlan EMA_ONLY = new EvalPlan(List.of("ema"), 8192, () -> null);

    public EvalPlan {
        stats = List.copyOf(stats);
    }

    public boolean has(String stat) {
        return stats.contains(stat);
    }

    /**
     * Whether final_val_acc_ema is written: when ema is asked for together with another
     * evaluation. The default, [ema] alone, is today's result.json (final_val_acc is the ema one).
     */
    public boolean writesEma() {
        return has("ema") && stats.size() > 1;
    }
}

package org.normlab.engine;

import java.util.Map;
import java.util.function.ToDoubleFunction;

/** Evaluations after the last epoch of a trial that did not diverge (eval.stats). */
@FunctionalInterface
public interface FinalEvaluation {

    FinalEvaluation NONE = accuracy -> Map.of();

    /**
     * @param accuracy the loop's own evaluation: the model in eval mode over a source, as after
     *     every epoch, giving the accuracy as a fraction
     * @return metric names of result.json (final_val_acc_precise, ...) to their values
     */
    Map<String, Double> evaluate(ToDoubleFunction<BatchSource> accuracy);
}

package org.normlab.results;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * The content of a trial's {@code result.json} (see RESULTS-FORMAT.md); keys are written in
 * snake_case.
 */
public record TrialResult(
        String trialId,
        String sweep,
        TrialStatus status,
        long seed,
        Map<String, Object> swept,
        JsonNode config,
        Metrics metrics,
        List<Epoch> history,
        Integer divergedEpoch,
        String error,
        String device,
        double rssMb,
        String finishedAt,
        Provenance provenance) {

    /**
     * The summary metrics; null fields when nothing finished. {@code final_val_acc} is the
     * evaluation with the running statistics; the {@code final_val_acc_<stat>} of eval.stats
     * are written only when asked for (and, for precise and batch, when the norm has running
     * statistics).
     */
    public record Metrics(
            Double finalValAcc,
            Double bestValAcc,
            Integer bestEpoch,
            Double finalTrainAcc,
            Double finalValLoss,
            Long params,
            Double trainImgS,
            Double wallS,
            int epochsCompleted,
            Map<String, Double> valAccByComponent,
            Long stepsCompleted,
            @JsonInclude(JsonInclude.Include.NON_NULL) Double finalValAccEma,
            @JsonInclude(JsonInclude.Include.NON_NULL) Double finalValAccPrecise,
            @JsonInclude(JsonInclude.Include.NON_NULL) Double finalValAccBatch) {

        /** The eval.stats metric names, in this order. */
        public static final List<String> EVAL_STATS_METRICS =
                List.of("final_val_acc_ema", "final_val_acc_precise", "final_val_acc_batch");
    }

    /** One row of the history. */
    public record Epoch(
            int epoch,
            Long step,
            double lr,
            double trainLoss,
            double trainAcc,
            double valLoss,
            double valAcc,
            double trainImgS,
            double epochS,
            Map<String, Double> valAccByComponent) {}
}

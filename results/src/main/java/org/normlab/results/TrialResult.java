package org.normlab.results;

import static org.normlab.results.ResultSchema.*;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * The content of a trial's {@code result.json} (see RESULTS-FORMAT.md); keys are written in
 * snake_case, the metrics' and history's by their {@link ResultSchema} names, which the readers use.
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
            @JsonProperty(FINAL_VAL_ACC) Double finalValAcc,
            @JsonProperty(BEST_VAL_ACC) Double bestValAcc,
            @JsonProperty(BEST_EPOCH) Integer bestEpoch,
            @JsonProperty(FINAL_TRAIN_ACC) Double finalTrainAcc,
            @JsonProperty(FINAL_VAL_LOSS) Double finalValLoss,
            @JsonProperty(PARAMS) Long params,
            @JsonProperty(TRAIN_IMG_S) Double trainImgS,
            @JsonProperty(WALL_S) Double wallS,
            @JsonProperty(EPOCHS_COMPLETED) int epochsCompleted,
            @JsonProperty(VAL_ACC_BY_COMPONENT) Map<String, Double> valAccByComponent,
            @JsonProperty(STEPS_COMPLETED) Long stepsCompleted,
            @JsonProperty(FINAL_VAL_ACC_EMA) @JsonInclude(JsonInclude.Include.NON_NULL) Double finalValAccEma,
            @JsonProperty(FINAL_VAL_ACC_PRECISE) @JsonInclude(JsonInclude.Include.NON_NULL) Double finalValAccPrecise,
            @JsonProperty(FINAL_VAL_ACC_BATCH) @JsonInclude(JsonInclude.Include.NON_NULL) Double finalValAccBatch) {}

    /** One row of the history. */
    public record Epoch(
            @JsonProperty(EPOCH) int epoch,
            @JsonProperty(STEP) Long step,
            @JsonProperty(LR) double lr,
            @JsonProperty(TRAIN_LOSS) double trainLoss,
            @JsonProperty(TRAIN_ACC) double trainAcc,
            @JsonProperty(VAL_LOSS) double valLoss,
            @JsonProperty(VAL_ACC) double valAcc,
            @JsonProperty(TRAIN_IMG_S) double trainImgS,
            @JsonProperty(EPOCH_S) double epochS,
            @JsonProperty(VAL_ACC_BY_COMPONENT) Map<String, Double> valAccByComponent) {}
}

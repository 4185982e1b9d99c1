package org.normlab.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.normlab.results.TrialStatus;

/**
 * One trial's result.json, as the report needs it.
 *
 * @param metrics the final metrics by {@link Metric} name; absent when null or not finite
 * @param detail the diverged epoch or the error message, for trials that did not complete
 */
public record TrialOutcome(
        String trialId,
        String sweep,
        TrialStatus status,
        Integer seed,
        Settings swept,
        JsonNode config,
        Map<String, Double> metrics,
        List<Epoch> history,
        String detail,
        Path file) {

    public NormVariant norm() {
        return NormVariant.of(swept, config);
    }
}

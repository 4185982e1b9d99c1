package org.normlab.experiments.report;

import org.normlab.experiments.results.RunDependent;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One trial's result.json, as the report needs it.
 *
 * @param metrics the final metrics by {@link Metric} name; absent when null or not finite
 * @param metricsNode the "metrics" object as written, to tell identical shard copies apart
 * @param detail the diverged epoch or the error message, for trials that did not complete
 */
public record TrialResult(
        String trialId,
        String sweep,
        TrialStatus status,
        Integer seed,
        Settings swept,
        JsonNode config,
        Map<String, Double> metrics,
        JsonNode metricsNode,
        List<Epoch> history,
        String detail,
        Path file) {

    public NormVariant norm() {
        return NormVariant.of(swept, config);
    }

    /** Same status and the same metrics: copies of one trial that two shards both ran. */
    boolean sameOutcome(TrialResult other) {
        // Timings differ between two runs of one trial; the outcome does not.
        return status == other.status
                && java.util.Objects.equals(
                        RunDependent.stripMetrics(metricsNode), RunDependent.stripMetrics(other.metricsNode));
    }
}

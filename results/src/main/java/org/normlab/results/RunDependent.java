package org.normlab.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The parts of a result.json that differ between two runs of the same trial (timings, memory,
 * when it finished); everything else is determined by the trial's settings and seed.
 */
public final class RunDependent {

    private RunDependent() {}

    /** A copy of a result.json without its run-dependent fields. */
    public static JsonNode stripResult(JsonNode result) {
        JsonNode copy = result.deepCopy();
        if (copy instanceof ObjectNode o) {
            o.remove(ResultSchema.RUN_DEPENDENT_TOP);
            if (o.get(ResultSchema.METRICS) instanceof ObjectNode m) {
                m.remove(ResultSchema.RUN_DEPENDENT_METRICS);
            }
            if (o.get(ResultSchema.HISTORY) instanceof ArrayNode h) {
                h.forEach(e -> {
                    if (e instanceof ObjectNode epoch) {
                        epoch.remove(ResultSchema.RUN_DEPENDENT_EPOCH);
                    }
                });
            }
        }
        return copy;
    }
}

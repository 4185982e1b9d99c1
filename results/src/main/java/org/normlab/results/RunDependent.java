package org.normlab.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The parts of a result.json that differ between two runs of the same trial (timings, memory,
 * when it finished); everything else is determined by the trial's settings and seed.
 */
public final class RunDependent {

    private static final List<String> TOP = List.of("finished_at", "rss_mb");
    private static final List<String> METRICS = List.of("train_img_s", "wall_s");
    private static final List<String> EPOCH = List.of("train_img_s", "epoch_s");

    private RunDependent() {}

    /** A copy of a result.json without its run-dependent fields. */
    public static JsonNode stripResult(JsonNode result) {
        JsonNode copy = result.deepCopy();
        if (copy instanceof ObjectNode o) {
            o.remove(TOP);
            if (o.get("metrics") instanceof ObjectNode m) {
                m.remove(METRICS);
            }
            if (o.get("history") instanceof ArrayNode h) {
                h.forEach(e -> {
                    if (e instanceof ObjectNode epoch) {
                        epoch.remove(EPOCH);
                    }
                });
            }
        }
        return copy;
    }
}

package org.normlab.experiments.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.normlab.results.UserError;
import org.normlab.results.FileNames;
import org.normlab.results.ResultJson;
import org.normlab.results.ResultSchema;

/**
 * The planned trials of a sweep as a result folder records them: a shard's shard.json holds the
 * whole sweep's plan, any other folder's trials.json is it. Two folders belong to one merge only
 * when their plans are equal.
 */
final class PlanFiles {

    private PlanFiles() {}

    /**
     * The whole sweep's plan as {@code folder} records it.
     *
     * @param shardsSeen the shard indices found so far, by shard count; a shard folder adds its own
     */
    static ArrayNode of(Path folder, Map<Integer, Set<Integer>> shardsSeen) {
        Path shardFile = folder.resolve(FileNames.SHARD);
        if (!Files.isRegularFile(shardFile)) {
            return read(folder.resolve(FileNames.TRIALS));
        }
        JsonNode shard = ResultJson.read(shardFile);
        if (!shard.path("shard").canConvertToInt() || !shard.path("shards").canConvertToInt()) {
            throw new UserError(shardFile + ": expected integer 'shard' and 'shards'");
        }
        shardsSeen.computeIfAbsent(shard.get("shards").asInt(), k -> new TreeSet<>()).add(shard.get("shard").asInt());
        return array(shard.get("sweep_trials"), shardFile);
    }

    /** A trials.json: a JSON array of planned trials, each with a string trial_id. */
    static ArrayNode read(Path trialsFile) {
        return array(ResultJson.read(trialsFile), trialsFile);
    }

    /** Says how two folders' plans differ, for the error that refuses to merge them. */
    static String difference(Path a, ArrayNode planA, Path b, ArrayNode planB) {
        Set<String> idsA = ids(planA);
        Set<String> idsB = ids(planB);
        long onlyA = idsA.stream().filter(id -> !idsB.contains(id)).count();
        long onlyB = idsB.stream().filter(id -> !idsA.contains(id)).count();
        return String.format("%s and %s hold different sweeps (or the same sweep run with different --set values): "
                        + "%d vs %d planned trials, %d only in the first, %d only in the second; merge the shards of one run",
                a, b, planA.size(), planB.size(), onlyA, onlyB);
    }

    private static Set<String> ids(ArrayNode plan) {
        Set<String> ids = new LinkedHashSet<>();
        plan.forEach(r -> ids.add(r.path(ResultSchema.TRIAL_ID).asText()));
        return ids;
    }

    private static ArrayNode array(JsonNode node, Path file) {
        if (node == null || !node.isArray()) {
            throw new UserError(file + ": expected a JSON array of planned trials");
        }
        for (JsonNode row : node) {
            if (!row.path(ResultSchema.TRIAL_ID).isTextual()) {
                throw new UserError(file + ": every planned trial needs a string 'trial_id', found " + row);
            }
        }
        return (ArrayNode) node;
    }
}

package org.normlab.results;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The copies of each trial's result.json found in some result folders (shards, or folders the
 * same sweep ran into), grouped by trial id, and the one rule for when copies agree: their whole
 * result.json is equal once the {@link RunDependent} fields are left out. {@code merge} and
 * {@code report} both judge copies by this rule.
 *
 * <p>Why the whole file rather than status and metrics only: two copies that agree on the final
 * numbers but differ in their history, config or device were not the same run of the same trial,
 * and counting either would hide that; everything a trial's settings and seed determine must match.
 */
public final class TrialCopies {

    /**
     * One copy of a trial's result.
     *
     * @param fromOut whether it came from the output folder of a merge (an earlier merge's copy)
     */
    public record Copy(Path file, JsonNode result, boolean fromOut) {

        public String trialId() {
            return result.get(ResultSchema.TRIAL_ID).asText();
        }

        public Path trialDir() {
            return file.getParent();
        }
    }

    private final Map<String, List<Copy>> byTrial = new LinkedHashMap<>();

    /**
     * Reads {@code folder}/X/result.json for every sub-folder X (sorted by path) and adds them.
     *
     * @return the copies read, in that order
     * @throws UserError when a result.json is malformed or has no trial id
     */
    public List<Copy> addFolder(Path folder, boolean fromOut) {
        List<Copy> read = new ArrayList<>();
        for (Path f : resultFiles(folder)) {
            JsonNode r = ResultJson.read(f);
            if (!r.isObject()) {
                throw new UserError(f + ": expected a JSON object, found " + ResultJson.kind(r));
            }
            ResultJson.requireText(r, ResultSchema.TRIAL_ID, f.toString());
            Copy copy = new Copy(f, r, fromOut);
            byTrial.computeIfAbsent(copy.trialId(), k -> new ArrayList<>()).add(copy);
            read.add(copy);
        }
        return read;
    }

    /** {@code dir}/X/result.json for every sub-folder X, sorted by path. */
    public static List<Path> resultFiles(Path dir) {
        try (Stream<Path> children = Files.list(dir)) {
            return children.filter(Files::isDirectory)
                    .map(d -> d.resolve(FileNames.RESULT))
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UserError(dir + ": cannot list the folder: " + e.getMessage(), e);
        }
    }

    /** Every trial id with its copies, in the order first read. */
    public Map<String, List<Copy>> byTrial() {
        return byTrial;
    }

    /** The trials whose copies disagree. */
    public List<Conflict> conflicts() {
        List<Conflict> conflicts = new ArrayList<>();
        byTrial.keySet().forEach(id -> {
            Conflict c = conflict(id);
            if (c != null) {
                conflicts.add(c);
            }
        });
        return conflicts;
    }

    /** The conflict among {@code trialId}'s copies, or null when they all agree with the first. */
    public Conflict conflict(String trialId) {
        List<Copy> copies = byTrial.get(trialId);
        JsonNode first = RunDependent.stripResult(copies.get(0).result());
        for (Copy other : copies.subList(1, copies.size())) {
            String difference = firstDifference("", first, RunDependent.stripResult(other.result()));
            if (difference != null) {
                return new Conflict(trialId, copies.stream().map(Copy::file).toList(), difference);
            }
        }
        return null;
    }

    /** "metrics.final_val_acc 0.7 vs 0.71", or null when a and b are equal. */
    public static String firstDifference(String path, JsonNode a, JsonNode b) {
        if (a.equals(b)) {
            return null;
        }
        if (a.isObject() && b.isObject()) {
            Set<String> fields = new LinkedHashSet<>();
            a.fieldNames().forEachRemaining(fields::add);
            b.fieldNames().forEachRemaining(fields::add);
            for (String f : fields) {
                String d = firstDifference(path.isEmpty() ? f : path + "." + f, a.path(f), b.path(f));
                if (d != null) {
                    return d;
                }
            }
        } else if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                return path + " has " + a.size() + " vs " + b.size() + " entries";
            }
            for (int i = 0; i < a.size(); i++) {
                String d = firstDifference(path + "[" + i + "]", a.get(i), b.get(i));
                if (d != null) {
                    return d;
                }
            }
        }
        return path + " " + show(a) + " vs " + show(b);
    }

    private static String show(JsonNode n) {
        return n.isMissingNode() ? "(none)" : n.toString();
    }
}

package org.normlab.experiments.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.normlab.results.UserError;
import org.normlab.results.AtomicFiles;
import org.normlab.results.Conflict;
import org.normlab.results.FileNames;
import org.normlab.results.PlanRow;
import org.normlab.results.ResultSchema;
import org.normlab.results.ResultStore;
import org.normlab.results.TrialCopies;
import org.normlab.results.TrialCopies.Copy;

/**
 * Combines result folders of one sweep (its shards, {@code OUT/<sweep>/shard-i-of-n/}, or any
 * folders the same sweep ran into) into one results folder laid out as if one run had done every
 * trial: sweep.yaml, trials.json of the whole sweep, each trial's folder, and results.csv.
 *
 * <p>A trial found in several folders counts once when its copies agree ({@link TrialCopies}'s
 * rule, the one {@code report} applies too); copies that differ are a {@link Conflict}, and
 * nothing is written until they are resolved.
 */
public final class ShardMerge {

    private static final String TRIALS = FileNames.TRIALS;
    private static final String SWEEP = FileNames.SWEEP;

    /** What a merge wrote. */
    public record Summary(
            Path out,
            int planned,
            Map<String, Integer> byStatus,
            int duplicates,
            List<String> missing,
            List<String> unplanned,
            List<String> notes) {

        public int merged() {
            return byStatus.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    private final List<Path> folders;
    private final ArrayNode plan;
    private final byte[] sweepYaml;
    private final TrialCopies copies;
    private final List<String> notes;

    private ShardMerge(List<Path> folders, ArrayNode plan, byte[] sweepYaml, TrialCopies copies, List<String> notes) {
        this.folders = folders;
        this.plan = plan;
        this.sweepYaml = sweepYaml;
        this.copies = copies;
        this.notes = notes;
    }

    /**
     * Reads the folders (already {@link ShardFolders#expand expanded}) and, when it exists, the output folder,
     * whose earlier results count as one more copy.
     *
     * @throws UserError when a folder is not a sweep's result folder, a file is malformed, or the
     *     folders hold different sweeps
     */
    public static ShardMerge read(List<Path> folders, Path out) {
        if (folders.isEmpty()) {
            throw new UserError("no result folder given; give the shard folders of one sweep (or the folder holding them)");
        }
        Path outAbs = out.toAbsolutePath().normalize();
        ArrayNode plan = null;
        Path planFolder = null;
        byte[] sweepYaml = null;
        TrialCopies copies = new TrialCopies();
        Map<Integer, Set<Integer>> shardsSeen = new TreeMap<>();
        List<String> notes = new ArrayList<>();
        for (Path folder : folders) {
            if (folder.toAbsolutePath().normalize().equals(outAbs)) {
                throw new UserError(folder + " is both an input and the output; choose another --out");
            }
            if (!Files.isRegularFile(folder.resolve(TRIALS))) {
                throw new UserError(folder + " is not a sweep's result folder: it has no " + TRIALS
                        + "; give OUT/<sweep name>, its shard-i-of-n folders, or the folder holding them");
            }
            ArrayNode folderPlan = PlanFiles.of(folder, shardsSeen);
            if (plan == null) {
                plan = folderPlan;
                planFolder = folder;
            } else if (!plan.equals(folderPlan)) {
                throw new UserError(PlanFiles.difference(planFolder, plan, folder, folderPlan));
            }
            if (sweepYaml == null && Files.isRegularFile(folder.resolve(SWEEP))) {
                sweepYaml = readBytes(folder.resolve(SWEEP));
            }
            copies.addFolder(folder, false);
        }
        if (Files.isRegularFile(outAbs.resolve(TRIALS))) {
            ArrayNode outPlan = PlanFiles.read(outAbs.resolve(TRIALS));
            if (!outPlan.equals(plan)) {
                throw new UserError(out + " already holds the results of another sweep (or of this one with other --set "
                        + "values): " + PlanFiles.difference(planFolder, plan, out, outPlan) + "; choose another --out");
            }
            copies.addFolder(outAbs, true);
        }
        shardsSeen.forEach((count, indices) -> {
            List<String> absent = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                if (!indices.contains(i)) {
                    absent.add(i + "/" + count);
                }
            }
            if (!absent.isEmpty()) {
                notes.add("shard(s) " + String.join(", ", absent) + " not among the folders");
            }
        });
        return new ShardMerge(folders, plan, sweepYaml, copies, notes);
    }

    /** Trials whose copies disagree. */
    public List<Conflict> conflicts() {
        return copies.conflicts();
    }

    /**
     * Writes the merged results folder: sweep.yaml, trials.json, one folder per trial with a
     * result (files hard-linked where the file system allows, copied otherwise; result.json
     * last), and results.csv.
     *
     * @throws IllegalStateException when there are {@link #conflicts()}
     */
    public Summary write(Path out) throws IOException {
        if (!conflicts().isEmpty()) {
            throw new IllegalStateException("resolve the conflicts first");
        }
        Path outAbs = out.toAbsolutePath().normalize();
        Map<String, Integer> byStatus = new TreeMap<>();
        List<String> missing = new ArrayList<>();
        Set<String> planned = new LinkedHashSet<>();
        int duplicates = 0;
        try (ResultStore store = ResultStore.open(outAbs)) {
            if (sweepYaml != null) {
                AtomicFiles.write(outAbs.resolve(SWEEP), sweepYaml);
            }
            AtomicFiles.write(outAbs.resolve(TRIALS), ResultStore.JSON.writeValueAsBytes(plan));
            for (JsonNode row : plan) {
                String id = row.path(ResultSchema.TRIAL_ID).asText();
                planned.add(id);
                List<Copy> found = copies.byTrial().get(id);
                if (found == null) {
                    missing.add(id);
                    continue;
                }
                Copy first = found.get(0);
                duplicates += (int) found.stream().filter(c -> !c.fromOut()).count() - 1;
                TrialFolderCopy.copy(first.trialDir(), outAbs.resolve(id));
                byStatus.merge(first.result().path(ResultSchema.STATUS).asText(), 1, Integer::sum);
            }
            store.writeResultsCsv(axes(), planRows());
        }
        List<String> unplanned = copies.byTrial().keySet().stream().filter(id -> !planned.contains(id)).toList();
        List<String> allNotes = new ArrayList<>(notes);
        if (!unplanned.isEmpty()) {
            allNotes.add(unplanned.size() + " result(s) are not trials of this sweep (an earlier version of it?) "
                    + "and were not merged: " + String.join(", ", unplanned));
        }
        return new Summary(outAbs, plan.size(), byStatus, Math.max(0, duplicates), missing, unplanned, allNotes);
    }

    public List<Path> folders() {
        return folders;
    }

    /** The sweep's name, from sweep.yaml (null when no folder has one). */
    public String name() {
        JsonNode doc = sweepDoc();
        return doc.path("name").isTextual() ? doc.get("name").asText() : null;
    }

    private static final String CHECK_MARK = "check.budget";

    /** The grid's axes, from sweep.yaml (or, without one, the swept keys of the plan). */
    private List<String> axes() {
        JsonNode grid = sweepDoc().path("grid");
        List<String> axes = new ArrayList<>();
        (grid.isObject() && !grid.isEmpty() ? grid : plan.path(0).path(ResultSchema.SWEPT)).fieldNames().forEachRemaining(axes::add);
        // check: trials (their swept-like mark comes after the grid's axes, as the runner writes it)
        boolean checks = false;
        for (JsonNode row : plan) {
            checks |= row.path(ResultSchema.SWEPT).has(CHECK_MARK);
        }
        if (checks && !axes.contains(CHECK_MARK)) {
            axes.add(CHECK_MARK);
        }
        return axes;
    }

    private List<PlanRow> planRows() {
        List<PlanRow> rows = new ArrayList<>();
        plan.forEach(row -> rows.add(PlanRow.of(row)));
        return rows;
    }

    private JsonNode sweepDoc() {
        if (sweepYaml == null) {
            return JsonNodeFactory.instance.objectNode();
        }
        try {
            JsonNode doc = ResultStore.YAML.readTree(sweepYaml);
            return doc == null ? JsonNodeFactory.instance.objectNode() : doc;
        } catch (IOException e) {
            return JsonNodeFactory.instance.objectNode();
        }
    }

    private static byte[] readBytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UserError(file + ": cannot read: " + e.getMessage());
        }
    }
}

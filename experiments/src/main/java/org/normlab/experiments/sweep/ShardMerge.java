package org.normlab.experiments.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.normlab.experiments.UserError;
import org.normlab.results.AtomicFiles;
import org.normlab.results.Conflict;
import org.normlab.results.FileNames;
import org.normlab.results.PlanRow;
import org.normlab.results.ResultJson;
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

    static final Pattern SHARD_FOLDER = Pattern.compile("shard-(\\d+)-of-(\\d+)");

    private static final String TRIALS = FileNames.TRIALS;
    private static final String SWEEP = FileNames.SWEEP;
    private static final String RESULT = FileNames.RESULT;

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
     * The result folders named by {@code dirs}: a folder that holds {@code shard-i-of-n}
     * folders stands for them (sorted by n, then i); any other folder for itself.
     */
    public static List<Path> expand(List<Path> dirs) {
        Set<Path> result = new LinkedHashSet<>();
        for (Path d : dirs) {
            if (!Files.isDirectory(d)) {
                throw new UserError(d + ": no such folder; give a sweep's result folder (OUT/<sweep name>) or its shard folders");
            }
            List<Path> shards = shardFolders(d);
            result.addAll(shards.isEmpty() ? List.of(d) : shards);
        }
        return List.copyOf(result);
    }

    /**
     * Where the merge goes when no --out is given: the folder holding the shard folders, when
     * every folder is a shard of one sweep folder; otherwise null.
     */
    public static Path defaultOut(List<Path> folders) {
        Set<Path> parents = new LinkedHashSet<>();
        for (Path f : folders) {
            Path name = f.toAbsolutePath().normalize().getFileName();
            if (name == null || !SHARD_FOLDER.matcher(name.toString()).matches()) {
                return null;
            }
            parents.add(f.toAbsolutePath().normalize().getParent());
        }
        return parents.size() == 1 ? parents.iterator().next() : null;
    }

    private static List<Path> shardFolders(Path dir) {
        try (Stream<Path> children = Files.list(dir)) {
            return children.filter(Files::isDirectory)
                    .filter(c -> SHARD_FOLDER.matcher(c.getFileName().toString()).matches())
                    .sorted(Comparator.comparingInt((Path c) -> shardNumbers(c)[1]).thenComparingInt(c -> shardNumbers(c)[0]))
                    .toList();
        } catch (IOException e) {
            throw new UserError(dir + ": cannot list the folder: " + e.getMessage());
        }
    }

    private static int[] shardNumbers(Path shardFolder) {
        Matcher m = SHARD_FOLDER.matcher(shardFolder.getFileName().toString());
        if (!m.matches()) {
            return new int[] {-1, -1};
        }
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
    }

    /**
     * Reads the folders (already {@link #expand expanded}) and, when it exists, the output folder,
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
            ArrayNode folderPlan = planOf(folder, shardsSeen);
            if (plan == null) {
                plan = folderPlan;
                planFolder = folder;
            } else if (!plan.equals(folderPlan)) {
                throw new UserError(differentPlans(planFolder, plan, folder, folderPlan));
            }
            if (sweepYaml == null && Files.isRegularFile(folder.resolve(SWEEP))) {
                sweepYaml = readBytes(folder.resolve(SWEEP));
            }
            copies.addFolder(folder, false);
        }
        if (Files.isRegularFile(outAbs.resolve(TRIALS))) {
            ArrayNode outPlan = array(ResultJson.read(outAbs.resolve(TRIALS)), outAbs.resolve(TRIALS));
            if (!outPlan.equals(plan)) {
                throw new UserError(out + " already holds the results of another sweep (or of this one with other --set "
                        + "values): " + differentPlans(planFolder, plan, out, outPlan) + "; choose another --out");
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

    /** A shard's shard.json holds the whole sweep's plan; any other folder's trials.json is it. */
    private static ArrayNode planOf(Path folder, Map<Integer, Set<Integer>> shardsSeen) {
        Path shardFile = folder.resolve(FileNames.SHARD);
        if (!Files.isRegularFile(shardFile)) {
            return array(ResultJson.read(folder.resolve(TRIALS)), folder.resolve(TRIALS));
        }
        JsonNode shard = ResultJson.read(shardFile);
        if (!shard.path("shard").canConvertToInt() || !shard.path("shards").canConvertToInt()) {
            throw new UserError(shardFile + ": expected integer 'shard' and 'shards'");
        }
        shardsSeen.computeIfAbsent(shard.get("shards").asInt(), k -> new TreeSet<>()).add(shard.get("shard").asInt());
        return array(shard.get("sweep_trials"), shardFile);
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
                String id = row.path("trial_id").asText();
                planned.add(id);
                List<Copy> found = copies.byTrial().get(id);
                if (found == null) {
                    missing.add(id);
                    continue;
                }
                Copy first = found.get(0);
                duplicates += (int) found.stream().filter(c -> !c.fromOut()).count() - 1;
                copyTrial(first.trialDir(), outAbs.resolve(id));
                byStatus.merge(first.result().path("status").asText(), 1, Integer::sum);
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

    /** The result files and everything beside them; result.json last, so a trial appears whole. */
    private static void copyTrial(Path from, Path to) throws IOException {
        if (from.toAbsolutePath().normalize().equals(to.toAbsolutePath().normalize())) {
            return;
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(from)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().startsWith("."))
                    .filter(f -> !f.equals(from.resolve(RESULT)))
                    .toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        for (Path f : files) {
            Path target = to.resolve(from.relativize(f).toString());
            Files.createDirectories(target.getParent());
            Files.deleteIfExists(target);
            try {
                Files.createLink(target, f);
            } catch (IOException | UnsupportedOperationException e) {
                Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        AtomicFiles.write(to.resolve(RESULT), Files.readAllBytes(from.resolve(RESULT)));
    }

    /** The grid's axes, from sweep.yaml (or, without one, the swept keys of the plan). */
    private List<String> axes() {
        JsonNode grid = sweepDoc().path("grid");
        List<String> axes = new ArrayList<>();
        (grid.isObject() && !grid.isEmpty() ? grid : plan.path(0).path("swept")).fieldNames().forEachRemaining(axes::add);
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

    private static String differentPlans(Path a, ArrayNode planA, Path b, ArrayNode planB) {
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
        plan.forEach(r -> ids.add(r.path("trial_id").asText()));
        return ids;
    }

    private static ArrayNode array(JsonNode node, Path file) {
        if (node == null || !node.isArray()) {
            throw new UserError(file + ": expected a JSON array of planned trials");
        }
        for (JsonNode row : node) {
            if (!row.path("trial_id").isTextual()) {
                throw new UserError(file + ": every planned trial needs a string 'trial_id', found " + row);
            }
        }
        return (ArrayNode) node;
    }

    private static byte[] readBytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UserError(file + ": cannot read: " + e.getMessage());
        }
    }
}

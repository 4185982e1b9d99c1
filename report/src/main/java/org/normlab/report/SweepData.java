package org.normlab.report;

import org.normlab.results.Conflict;
import org.normlab.results.FileNames;
import org.normlab.results.StaleTrials;
import org.normlab.results.TrialCopies;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.normlab.results.UserError;

/**
 * The result files of one sweep, merged from one or more shard folders: the plan (trials.json),
 * the sweep definition (sweep.yaml) and every trial's result.json. A trial id found in several
 * folders counts once when its copies agree and is a {@link Conflict} (left out of every
 * statistic) when they do not, by the rule of {@link TrialCopies} that {@code merge} applies too.
 */
public final class SweepData {

    static final String TRIALS = FileNames.TRIALS;
    static final String SWEEP = FileNames.SWEEP;
    static final String RESULT = FileNames.RESULT;

    private final String name;
    private final List<Path> dirs;
    private final String sweepYaml;
    private final List<String> sweptKeys;
    private final boolean planKnown;
    private final List<PlannedTrial> planned;
    private final List<TrialOutcome> results;
    private final List<Conflict> conflicts;
    private final int duplicates;
    private final List<String> warnings;
    private final Map<String, List<String>> stale;

    private SweepData(Builder b) {
        this.name = b.name;
        this.dirs = List.copyOf(b.dirs);
        this.sweepYaml = b.sweepYaml;
        this.sweptKeys = List.copyOf(b.sweptKeys);
        this.planKnown = b.planKnown;
        this.planned = List.copyOf(b.planned.values());
        this.results = List.copyOf(b.results);
        this.conflicts = List.copyOf(b.conflicts);
        this.duplicates = b.duplicates;
        this.warnings = List.copyOf(b.warnings);
        this.stale = Map.copyOf(b.stale);
    }

    /**
     * Reads and merges the result folders of one sweep.
     *
     * @throws UserError when a folder is missing or not a sweep's result folder, when the folders
     *     hold different sweeps, or when a result file is malformed
     */
    public static SweepData load(List<Path> dirs) {
        if (dirs.isEmpty()) {
            throw new UserError("no result folder given; give at least one OUT/<sweep name> folder");
        }
        Builder b = new Builder();
        TrialCopies copies = new TrialCopies();
        Map<Path, TrialOutcome> outcomes = new LinkedHashMap<>();
        for (Path dir : dirs) {
            b.dirs.add(dir);
            readFolder(dir, b, copies, outcomes);
        }
        b.merge(copies, outcomes);
        return new SweepData(b);
    }

    private static void readFolder(Path dir, Builder b, TrialCopies copies, Map<Path, TrialOutcome> outcomes) {
        if (!Files.isDirectory(dir)) {
            throw new UserError(dir + ": no such folder; give a sweep's result folder (OUT/<sweep name>)");
        }
        Path trials = dir.resolve(TRIALS);
        Path sweep = dir.resolve(SWEEP);
        List<Path> resultFiles = TrialCopies.resultFiles(dir);
        if (!Files.isRegularFile(trials) && !Files.isRegularFile(sweep) && resultFiles.isEmpty()) {
            throw new UserError(String.format(
                    "%s is not a sweep's result folder: it has no %s, %s or <trial>/%s%s",
                    dir, TRIALS, SWEEP, RESULT, hintForParent(dir)));
        }
        if (Files.isRegularFile(trials)) {
            b.planKnown = true;
            for (PlannedTrial t : ResultFiles.readTrials(trials)) {
                PlannedTrial before = b.planned.putIfAbsent(t.trialId(), t);
                if (before != null && !before.swept().equals(t.swept())) {
                    b.warnings.add(String.format(
                            "trial %s is planned with different settings in two folders (%s vs %s); the first is used",
                            t.trialId(), before.swept(), t.swept()));
                }
                if (t.swept() != null) {
                    b.sweptKeys.addAll(t.swept().values().keySet());
                }
            }
        } else {
            b.warnings.add(dir + " has no " + TRIALS + ": the planned and missing counts do not include its trials");
        }
        if (Files.isRegularFile(sweep)) {
            String text = ResultFiles.readText(sweep);
            if (b.sweepYaml == null) {
                b.sweepYaml = text;
                b.sweepYamlName = sweepName(sweep, text);
            } else if (!b.sweepYaml.equals(text)) {
                b.warnings.add(sweep + " differs from the first folder's " + SWEEP + "; the first is shown");
            }
        }
        b.stale.putAll(StaleTrials.read(dir));
        for (TrialCopies.Copy c : copies.addFolder(dir, false)) {
            outcomes.put(c.file(), ResultFiles.readResult(c.file(), c.result()));
        }
    }

    /** When the user gave OUT instead of OUT/<sweep name>, say so. */
    private static String hintForParent(Path dir) {
        try (Stream<Path> children = Files.list(dir)) {
            List<String> sweeps = children.filter(d -> Files.isRegularFile(d.resolve(TRIALS)))
                    .map(d -> d.getFileName().toString())
                    .sorted()
                    .collect(Collectors.toList());
            return sweeps.isEmpty()
                    ? "; give the folder a sweep wrote, OUT/<sweep name>"
                    : "; it holds the sweep folders " + sweeps + ": give one of them (or several shards of one sweep)";
        } catch (IOException e) {
            return "";
        }
    }

    private static String sweepName(Path file, String yaml) {
        try {
            JsonNode root = new YAMLMapper().readTree(yaml);
            return root != null && root.path("name").isTextual() ? root.get("name").asText() : null;
        } catch (IOException e) {
            // The report shows the text as it is; a sweep.yaml we cannot parse only costs the name.
            return null;
        }
    }

    public String name() {
        return name;
    }

    public List<Path> dirs() {
        return dirs;
    }

    /**
     * The swept keys that choose the norm: {@link Report#NORM_KEYS}, swept {@code norm.*} keys
     * (norm options; not for a wrapper norm with {@code inner}, whose options are its attack's,
     * compared like any other setting), and the named grid axes of sweep.yaml whose values set a
     * {@code norm.*} key.
     */
    public List<String> normKeys() {
        Set<String> keys = new LinkedHashSet<>(Report.NORM_KEYS);
        boolean wrapper = results.stream()
                .anyMatch(r -> r.config() != null && r.config().path("norm").path("options").has("inner"));
        if (!wrapper) {
            sweptKeys.stream().filter(k -> k.startsWith("norm.")).forEach(keys::add);
        }
        keys.addAll(namedNormAxes(sweepYaml));
        return List.copyOf(keys);
    }

    private static List<String> namedNormAxes(String yaml) {
        List<String> axes = new ArrayList<>();
        if (yaml == null) {
            return axes;
        }
        try {
            JsonNode grid = new YAMLMapper().readTree(yaml).path("grid");
            grid.fields().forEachRemaining(axis -> {
                boolean setsNorm = false;
                for (JsonNode value : axis.getValue()) {
                    if (value.isObject()) {
                        for (java.util.Iterator<String> k = value.fieldNames(); k.hasNext(); ) {
                            setsNorm |= k.next().startsWith("norm.");
                        }
                    }
                }
                if (axis.getValue().isObject() && setsNorm) {
                    axes.add(axis.getKey());
                }
            });
        } catch (IOException | RuntimeException e) {
            // An unreadable sweep.yaml only costs the named norm axes; the report shows its text as it is.
        }
        return axes;
    }

    /** The text of the first folder's sweep.yaml, or null when there is none. */
    public String sweepYaml() {
        return sweepYaml;
    }

    /** Every swept key except the seed, in grid order (as first seen in trials.json). */
    public List<String> sweptKeys() {
        return sweptKeys;
    }

    /** False when no folder had a trials.json: planned and missing counts are then unknown. */
    public boolean planKnown() {
        return planKnown;
    }

    public List<PlannedTrial> planned() {
        return planned;
    }

    /** One result per trial id, conflicts left out, in plan order (unplanned ones last). */
    public List<TrialOutcome> results() {
        return results;
    }

    public List<Conflict> conflicts() {
        return conflicts;
    }

    /** How many extra copies of identical results the shards held. */
    public int duplicates() {
        return duplicates;
    }

    public List<String> warnings() {
        return warnings;
    }

    /**
     * The trials the last run skipped as stale (stale.json: their recorded provenance differs
     * from the code of that run), trial id to what changed.
     */
    public Map<String, List<String>> stale() {
        return stale;
    }

    /** The planned trials without a result.json in any folder (conflicting ones have one). */
    public List<PlannedTrial> missing() {
        Set<String> done = results.stream().map(TrialOutcome::trialId).collect(Collectors.toSet());
        conflicts.forEach(c -> done.add(c.trialId()));
        return planned.stream().filter(t -> !done.contains(t.trialId())).collect(Collectors.toList());
    }

    /** Results whose trial id is not in trials.json (from an earlier version of the sweep, say). */
    public List<TrialOutcome> unplanned() {
        Set<String> plannedIds = planned.stream().map(PlannedTrial::trialId).collect(Collectors.toSet());
        return results.stream().filter(r -> !plannedIds.contains(r.trialId())).collect(Collectors.toList());
    }

    /** For each swept key the values of the plan (or of the results without a plan), in order. */
    public Map<String, List<String>> grid() {
        Map<String, Set<String>> values = new LinkedHashMap<>();
        sweptKeys.forEach(k -> values.put(k, new LinkedHashSet<>()));
        List<Settings> all = planKnown
                ? planned.stream().map(PlannedTrial::swept).collect(Collectors.toList())
                : results.stream().map(TrialOutcome::swept).collect(Collectors.toList());
        for (Settings s : all) {
            s.values().forEach((k, v) -> values.computeIfAbsent(k, x -> new LinkedHashSet<>()).add(Settings.display(v)));
        }
        Map<String, List<String>> grid = new LinkedHashMap<>();
        values.forEach((k, v) -> grid.put(k, List.copyOf(v)));
        return grid;
    }

    /** The seeds of the plan (or of the results without a plan), sorted. */
    public List<Integer> seeds() {
        Stream<Integer> seeds = planKnown
                ? planned.stream().map(PlannedTrial::seed)
                : results.stream().map(TrialOutcome::seed);
        return seeds.filter(s -> s != null).collect(Collectors.toCollection(TreeSet::new)).stream().toList();
    }

    private static final class Builder {
        String name;
        final List<Path> dirs = new ArrayList<>();
        String sweepYaml;
        String sweepYamlName;
        final Set<String> sweptKeys = new LinkedHashSet<>();
        boolean planKnown;
        final Map<String, PlannedTrial> planned = new LinkedHashMap<>();
        final List<TrialOutcome> results = new ArrayList<>();
        final List<Conflict> conflicts = new ArrayList<>();
        int duplicates;
        final List<String> warnings = new ArrayList<>();
        final Map<String, List<String>> stale = new LinkedHashMap<>();

        void merge(TrialCopies copies, Map<Path, TrialOutcome> outcomes) {
            Set<String> sweepNames = new TreeSet<>();
            copies.byTrial().forEach((id, same) -> {
                TrialOutcome first = outcomes.get(same.get(0).file());
                if (first.sweep() != null) {
                    sweepNames.add(first.sweep());
                }
                Conflict conflict = copies.conflict(id);
                if (conflict == null) {
                    duplicates += same.size() - 1;
                    results.add(withSettings(first));
                } else {
                    conflicts.add(conflict);
                }
            });
            if (sweepNames.size() > 1) {
                throw new UserError(String.format(
                        "the folders %s hold results of different sweeps %s; give the shards of one sweep",
                        dirs, sweepNames));
            }
            results.forEach(r -> sweptKeys.addAll(r.swept().values().keySet()));
            List<String> order = new ArrayList<>(planned.keySet());
            results.sort(Comparator.comparingInt((TrialOutcome r) -> {
                        int i = order.indexOf(r.trialId());
                        return i < 0 ? Integer.MAX_VALUE : i;
                    })
                    .thenComparing(TrialOutcome::trialId));
            name = !sweepNames.isEmpty()
                    ? sweepNames.iterator().next()
                    : sweepYamlName != null ? sweepYamlName : String.valueOf(dirs.get(0).toAbsolutePath().getFileName());
        }

        /** The swept settings of trials.json when result.json has none. */
        private TrialOutcome withSettings(TrialOutcome r) {
            if (r.swept() != null) {
                return r;
            }
            PlannedTrial p = planned.get(r.trialId());
            Settings s = p != null && p.swept() != null ? p.swept() : Settings.NONE;
            return new TrialOutcome(r.trialId(), r.sweep(), r.status(), r.seed(), s, r.config(),
                    r.metrics(), r.history(), r.detail(), r.file());
        }
    }
}

package org.normlab.report;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.normlab.results.UserError;
import org.normlab.results.Conflict;
import org.normlab.results.TrialCopies;

/**
 * The result files of one sweep, merged from one or more shard folders (read by
 * {@link SweepReader}): the plan (trials.json), the sweep definition (sweep.yaml) and every
 * trial's result.json. A trial id found in several folders counts once when its copies agree and
 * is a {@link Conflict} (left out of every statistic) when they do not, by the rule of
 * {@link TrialCopies} that {@code merge} applies too.
 *
 * @param definition the first folder's sweep.yaml ({@link SweepYaml#NONE} when there is none)
 * @param sweptKeys every swept key except the seed, in grid order (as first seen in trials.json)
 * @param planKnown false when no folder had a trials.json: planned and missing counts are then unknown
 * @param results one result per trial id, conflicts left out, in plan order (unplanned ones last)
 * @param duplicates how many extra copies of identical results the shards held
 * @param stale the trials the last run skipped as stale (stale.json: their recorded provenance
 *     differs from the code of that run), trial id to what changed
 * @param checkPlanned the planned convergence-check trials (sweep key {@code check}, marked
 *     {@value #CHECK_MARK}); they are in none of the other lists, so no main table counts them
 * @param checkResults their results, in plan order
 */
public record SweepData(
        String name,
        List<Path> dirs,
        SweepYaml definition,
        List<String> sweptKeys,
        boolean planKnown,
        List<PlannedTrial> planned,
        List<TrialOutcome> results,
        List<Conflict> conflicts,
        int duplicates,
        List<String> warnings,
        Map<String, List<String>> stale,
        List<PlannedTrial> checkPlanned,
        List<TrialOutcome> checkResults) {

    /** The swept-like key of a convergence-check trial (its value: the budget factor). */
    public static final String CHECK_MARK = "check.budget";

    public SweepData {
        checkPlanned = List.copyOf(checkPlanned);
        checkResults = List.copyOf(checkResults);
        dirs = List.copyOf(dirs);
        sweptKeys = List.copyOf(sweptKeys);
        planned = List.copyOf(planned);
        results = List.copyOf(results);
        conflicts = List.copyOf(conflicts);
        warnings = List.copyOf(warnings);
        stale = Map.copyOf(stale);
    }

    /**
     * Reads and merges the result folders of one sweep.
     *
     * @throws UserError when a folder is missing or not a sweep's result folder, when the folders
     *     hold different sweeps, or when a result file is malformed
     */
    public static SweepData load(List<Path> dirs) {
        return SweepReader.load(dirs);
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
        keys.addAll(definition.namedAxesSetting(k -> k.startsWith("norm.")));
        return List.copyOf(keys);
    }

    /** The text of the first folder's sweep.yaml, or null when there is none. */
    public String sweepYaml() {
        return definition.text();
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
}

package org.normlab.report;

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
import org.normlab.results.Conflict;
import org.normlab.results.FileNames;
import org.normlab.results.StaleTrials;
import org.normlab.results.TrialCopies;

/**
 * Reads the result folders of one sweep (one folder, or several shards of it) into a
 * {@link SweepData}: the plans, the first sweep.yaml, the stale lists and every result.json,
 * copies of one trial merged by the rule of {@link TrialCopies} that {@code merge} applies too.
 */
final class SweepReader {

    private final List<Path> dirs = new ArrayList<>();
    private SweepYaml sweepYaml;
    private final Set<String> sweptKeys = new LinkedHashSet<>();
    private boolean planKnown;
    private final Map<String, PlannedTrial> planned = new LinkedHashMap<>();
    private final List<TrialOutcome> results = new ArrayList<>();
    private final List<Conflict> conflicts = new ArrayList<>();
    private int duplicates;
    private int relabelled;
    private final List<String> warnings = new ArrayList<>();
    private final Map<String, List<String>> stale = new LinkedHashMap<>();
    private final TrialCopies copies = new TrialCopies();
    private final Map<Path, TrialOutcome> outcomes = new LinkedHashMap<>();

    private SweepReader() {}

    /** See {@link SweepData#load(List)}. */
    static SweepData load(List<Path> dirs) {
        if (dirs.isEmpty()) {
            throw new UserError("no result folder given; give at least one OUT/<sweep name> folder");
        }
        SweepReader r = new SweepReader();
        dirs.forEach(r::readFolder);
        String name = r.merge();
        // convergence-check trials (sweep key check) apart, so that no main table or figure counts them
        List<PlannedTrial> plan = r.planned.values().stream().filter(t -> !isCheck(t.swept())).toList();
        List<PlannedTrial> checkPlan = r.planned.values().stream().filter(t -> isCheck(t.swept())).toList();
        List<TrialOutcome> main = r.results.stream().filter(t -> !isCheck(t.swept())).toList();
        List<TrialOutcome> checks = r.results.stream().filter(t -> isCheck(t.swept())).toList();
        r.sweptKeys.remove(SweepData.CHECK_MARK);
        return new SweepData(name, r.dirs, r.sweepYaml != null ? r.sweepYaml : SweepYaml.NONE,
                List.copyOf(r.sweptKeys), r.planKnown, plan, main, r.conflicts,
                r.duplicates, r.warnings, r.stale, checkPlan, checks);
    }

    private static boolean isCheck(Settings swept) {
        return swept != null && swept.values().containsKey(SweepData.CHECK_MARK);
    }

    private void readFolder(Path dir) {
        dirs.add(dir);
        if (!Files.isDirectory(dir)) {
            throw new UserError(dir + ": no such folder; give a sweep's result folder (OUT/<sweep name>)");
        }
        Path trials = dir.resolve(FileNames.TRIALS);
        Path sweep = dir.resolve(FileNames.SWEEP);
        if (!Files.isRegularFile(trials) && !Files.isRegularFile(sweep) && TrialCopies.resultFiles(dir).isEmpty()) {
            throw new UserError(String.format(
                    "%s is not a sweep's result folder: it has no %s, %s or <trial>/%s%s",
                    dir, FileNames.TRIALS, FileNames.SWEEP, FileNames.RESULT, hintForParent(dir)));
        }
        if (Files.isRegularFile(trials)) {
            readPlan(trials);
        } else {
            warnings.add(dir + " has no " + FileNames.TRIALS + ": the planned and missing counts do not include its trials");
        }
        if (Files.isRegularFile(sweep)) {
            String text = ResultFiles.readText(sweep);
            if (sweepYaml == null) {
                sweepYaml = SweepYaml.parse(sweep, text);
            } else if (!sweepYaml.text().equals(text)) {
                warnings.add(sweep + " differs from the first folder's " + FileNames.SWEEP + "; the first is shown");
            }
        }
        stale.putAll(StaleTrials.read(dir));
        for (TrialCopies.Copy c : copies.addFolder(dir, false)) {
            outcomes.put(c.file(), ResultFiles.readResult(c.file(), c.result()));
        }
    }

    private void readPlan(Path trials) {
        planKnown = true;
        for (PlannedTrial t : ResultFiles.readTrials(trials)) {
            PlannedTrial before = planned.putIfAbsent(t.trialId(), t);
            if (before != null && !before.swept().equals(t.swept())) {
                warnings.add(String.format(
                        "trial %s is planned with different settings in two folders (%s vs %s); the first is used",
                        t.trialId(), before.swept(), t.swept()));
            }
            if (t.swept() != null) {
                sweptKeys.addAll(t.swept().values().keySet());
            }
        }
    }

    /** When the user gave OUT instead of OUT/<sweep name>, say so. */
    private static String hintForParent(Path dir) {
        try (Stream<Path> children = Files.list(dir)) {
            List<String> sweeps = children.filter(d -> Files.isRegularFile(d.resolve(FileNames.TRIALS)))
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

    /** One result per trial id (agreeing copies counted once, conflicts apart), in plan order; returns the sweep's name. */
    private String merge() {
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
        if (relabelled > 0) {
            warnings.add(String.format("%d result(s) ran under other grid settings than trials.json now plans for "
                    + "their trial ids (the grid was re-expressed); they are grouped as trials.json plans them", relabelled));
        }
        results.forEach(r -> sweptKeys.addAll(r.swept().values().keySet()));
        List<String> order = new ArrayList<>(planned.keySet());
        results.sort(Comparator.comparingInt((TrialOutcome r) -> {
                    int i = order.indexOf(r.trialId());
                    return i < 0 ? Integer.MAX_VALUE : i;
                })
                .thenComparing(TrialOutcome::trialId));
        String yamlName = sweepYaml != null ? sweepYaml.name() : null;
        return !sweepNames.isEmpty()
                ? sweepNames.iterator().next()
                : yamlName != null ? yamlName : String.valueOf(dirs.get(0).toAbsolutePath().getFileName());
    }

    /**
     * A planned trial's swept settings as trials.json (the current plan) has them: a trial that
     * ran under another expression of the grid (a named axis since split into keys, say) keeps its
     * id and is grouped and labelled as planned now, not as its result.json recorded. Unplanned
     * results keep their own; a result without any gets none.
     */
    private TrialOutcome withSettings(TrialOutcome r) {
        PlannedTrial p = planned.get(r.trialId());
        Settings s = p != null && p.swept() != null ? p.swept() : r.swept() != null ? r.swept() : Settings.NONE;
        if (s == r.swept()) {
            return r;
        }
        if (r.swept() != null && !r.swept().values().isEmpty() && !s.equals(r.swept())) {
            relabelled++;
        }
        return new TrialOutcome(r.trialId(), r.sweep(), r.status(), r.seed(), s, r.config(),
                r.metrics(), r.history(), r.detail(), r.file());
    }
}

package org.normlab.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.normlab.report.DoseSpec;
import org.normlab.results.UserError;

/**
 * Reads a sweep file: defaults, then the file, then {@code --set} overrides
 * ({@link SetOverrides}); expands the grid (cartesian product x seeds, {@link GridExpansion}),
 * drops the excluded points ({@link Exclusions}) and binds every trial to a validated
 * {@link TrialConfig} ({@link TrialBinder}). Every error names the file, line and column of the
 * value at fault and what is allowed. The settings trees themselves (defaults, merging, dotted
 * keys, trial ids) are {@link SettingsTree}'s.
 */
public final class SweepLoader {

    private static final List<String> SWEEP_KEYS = List.of("name", "description", "seeds", "grid", "parameters", "exclude", DoseSpec.REPORT_KEY,
            ConvergenceCheck.KEY);

    private final String source;
    private final LocatedYaml yaml;
    private final SetOverrides overrides = new SetOverrides(SWEEP_KEYS);
    private final Locator locator;
    private final GridExpansion grid;
    private final TrialBinder binder;

    private SweepLoader(String source, LocatedYaml yaml, List<String> datasets) {
        this.source = source;
        this.yaml = yaml;
        this.locator = new Locator(source, yaml.locations(), overrides.locations());
        this.grid = new GridExpansion(locator);
        this.binder = new TrialBinder(source, locator, datasets);
    }

    /** Loads a sweep whose data.name is a built-in dataset. */
    public static Sweep load(Path file, List<String> sets) {
        return load(file, sets, TrialConfig.DATASETS);
    }

    /** @param datasets the data.name values allowed (built-in and plugins' datasets) */
    public static Sweep load(Path file, List<String> sets, List<String> datasets) {
        if (!Files.isRegularFile(file)) {
            throw new UserError(file + ": no such sweep file");
        }
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return new SweepLoader(file.toString(), LocatedYaml.parse(file.toString(), reader), datasets).build(sets);
        } catch (IOException e) {
            throw new UserError(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** Parses sweep text (for tests and for sweeps that are not files). */
    public static Sweep parse(String source, String text, List<String> sets) {
        return new SweepLoader(source, LocatedYaml.parse(source, new StringReader(text)), TrialConfig.DATASETS)
                .build(sets);
    }

    private Sweep build(List<String> sets) {
        if (!yaml.root().isObject()) {
            throw locator.error("", "a sweep file must be a mapping of settings");
        }
        ObjectNode file = ((ObjectNode) yaml.root()).deepCopy();
        for (String set : sets) {
            overrides.apply(file, set);
        }
        if (file.hasNonNull("steps") && file.has("epochs")) {
            throw locator.error("/steps", "steps: set either epochs or steps, not both (steps: S trains exactly S optimizer steps)");
        }
        checkTopLevelKeys(file);
        String name = requireName(file);
        List<Long> seeds = seeds(file);
        ObjectNode axes = grid.axes(file);
        ObjectNode base = SettingsTree.defaults();
        ObjectNode settings = file.deepCopy();
        settings.remove(SWEEP_KEYS);
        SettingsTree.merge(base, settings);
        binder.bind(base, Map.of(), "base settings");

        List<GridExpansion.Point> points = grid.points(axes);
        List<Exclusions.Point> gridPoints = points.stream()
                .map(point -> new Exclusions.Point(point.swept(), point.settings())).toList();
        Exclusions exclusions = Exclusions.parse(file.get("exclude"), gridPoints, locator::error);
        List<Sweep.Excluded> excluded = new ArrayList<>();
        List<Trial> trials = new ArrayList<>();
        List<ConvergenceCheck.Cell> kept = new ArrayList<>();
        for (GridExpansion.Point point : points) {
            Exclusions.Entry by = exclusions.matching(new Exclusions.Point(point.swept(), point.settings()));
            if (by != null) {
                excluded.add(new Sweep.Excluded(point.swept(), by.describe()));
                continue;
            }
            ObjectNode resolved = base.deepCopy();
            point.settings().forEach((key, value) ->
                    SettingsTree.setDotted(resolved, key, value.deepCopy(), point.origins().get(key)));
            TrialConfig config = binder.bind(resolved, point.origins(), "trial " + point.swept());
            kept.add(new ConvergenceCheck.Cell(point, resolved));
            for (long seed : seeds) {
                trials.add(new Trial(SettingsTree.trialId(resolved, seed), trials.size(), seed, point.swept(), config,
                        resolved, point.origins()));
            }
        }
        if (trials.isEmpty()) {
            throw locator.error("/exclude", "exclude drops every grid point; nothing would run");
        }
        ReportKey.check(file.get(DoseSpec.REPORT_KEY), axes, trials, locator::error);
        addCheckTrials(file, kept, seeds, trials);
        ObjectNode resolvedBase = base.deepCopy();
        return new Sweep(name, source, resolvedBase, axes, seeds, trials, locator, file.get("exclude"), excluded,
                file.get(DoseSpec.REPORT_KEY), file.get(ConvergenceCheck.KEY));
    }

    /** The {@code check:} trials, after the main ones: each checked cell per seed at a multiple of its budget. */
    private void addCheckTrials(ObjectNode file, List<ConvergenceCheck.Cell> kept, List<Long> seeds, List<Trial> trials) {
        ConvergenceCheck check = ConvergenceCheck.parse(file.get(ConvergenceCheck.KEY), locator::error);
        if (check == null) {
            return;
        }
        for (ConvergenceCheck.Cell cell : check.select(kept, file.get(DoseSpec.REPORT_KEY), locator::error)) {
            ObjectNode resolved = check.longer(cell.resolved());
            Map<String, Object> swept = new java.util.LinkedHashMap<>(cell.point().swept());
            swept.put(ConvergenceCheck.MARK, check.budget());
            TrialConfig config = binder.bind(resolved, cell.point().origins(), "check trial " + swept);
            for (long seed : seeds) {
                trials.add(new Trial(SettingsTree.trialId(resolved, seed), trials.size(), seed, swept, config, resolved,
                        cell.point().origins()));
            }
        }
    }

    // ---- the sweep-level keys

    /**
     * Every top-level key is a sweep key or a setting. Checked before the required keys, so that
     * a misspelt required key ({@code nmae:}) is reported as the unknown key it is, with the
     * nearest valid one, rather than as the required key missing.
     */
    private void checkTopLevelKeys(ObjectNode file) {
        List<String> known = new ArrayList<>(SWEEP_KEYS);
        SettingsTree.defaults().fieldNames().forEachRemaining(known::add);
        file.fieldNames().forEachRemaining(key -> {
            if (!SWEEP_KEYS.contains(key) && SettingsTree.keyProblem(key) != null) {
                throw locator.error("/" + Locator.escape(key) + "#key", String.format("unknown setting '%s'%s; known keys here: %s",
                        key, org.normlab.norm.Spelling.hint(key, known), String.join(", ", known.stream().sorted().toList())));
            }
        });
    }

    private String requireName(ObjectNode file) {
        JsonNode name = file.get("name");
        if (name == null) {
            throw locator.error("", "'name' must be given: " + SweepName.ALLOWED);
        }
        String problem = SweepName.problem(name);
        if (problem != null) {
            throw locator.error("/name", "name: " + problem + "; " + SweepName.ALLOWED);
        }
        return name.asText();
    }

    private List<Long> seeds(ObjectNode file) {
        JsonNode node = file.get("seeds");
        if (node == null) {
            return List.of(0L);
        }
        if (!node.isArray() || node.isEmpty()) {
            throw locator.error("/seeds", "'seeds' must be a non-empty list of integers, e.g. [1, 2, 3]");
        }
        List<Long> seeds = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            if (!node.get(i).canConvertToLong() || !node.get(i).isIntegralNumber()) {
                throw locator.error("/seeds/" + i, "seeds must be integers (got '" + node.get(i).asText() + "')");
            }
            long seed = node.get(i).asLong();
            if (seeds.contains(seed)) {
                throw locator.error("/seeds/" + i, "seed " + seed + " is listed twice");
            }
            seeds.add(seed);
        }
        return seeds;
    }
}

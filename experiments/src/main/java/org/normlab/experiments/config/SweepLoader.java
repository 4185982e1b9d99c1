package org.normlab.experiments.config;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.normlab.experiments.UserError;
import org.normlab.norm.Spelling;
import org.normlab.report.DoseSpec;
import org.normlab.results.PlanRow;

/**
 * Reads a sweep file: defaults, then the file, then {@code --set} overrides; expands the grid
 * (cartesian product x seeds) and binds every trial to a validated {@link TrialConfig}. Every
 * error names the file, line and column of the value at fault and what is allowed.
 *
 * <p>Grid axes are dotted keys with a list of values ({@code model.depth: [20, 56]}), or named
 * axes whose values are labelled sets of dotted keys ({@code attack: {none: {}, weak:
 * {attack.name: constant}}}). The settings trees themselves (defaults, merging, dotted keys,
 * trial ids) are {@link SettingsTree}'s.
 */
public final class SweepLoader {

    static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private static final List<String> SWEEP_KEYS = List.of("name", "description", "seeds", "grid", "parameters", "exclude", DoseSpec.REPORT_KEY);

    private final String source;
    private final LocatedYaml yaml;
    private final Map<String, Located> overrides = new LinkedHashMap<>();
    private final Locator locator;

    private final List<String> datasets;

    private SweepLoader(String source, LocatedYaml yaml, List<String> datasets) {
        this.source = source;
        this.yaml = yaml;
        this.datasets = datasets;
        this.locator = new Locator(source, yaml.locations(), overrides);
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
        return new SweepLoader(source, LocatedYaml.parse(source, new java.io.StringReader(text)), TrialConfig.DATASETS)
                .build(sets);
    }

    private Sweep build(List<String> sets) {
        if (!yaml.root().isObject()) {
            throw error("", "a sweep file must be a mapping of settings");
        }
        ObjectNode file = ((ObjectNode) yaml.root()).deepCopy();
        for (String set : sets) {
            applySet(file, set);
        }
        if (file.hasNonNull("steps") && file.has("epochs")) {
            throw error("/steps", "steps: set either epochs or steps, not both (steps: S trains exactly S optimizer steps)");
        }
        String name = requireName(file);
        List<Long> seeds = seeds(file);
        ObjectNode grid = grid(file);
        ObjectNode base = SettingsTree.defaults();
        ObjectNode settings = file.deepCopy();
        settings.remove(SWEEP_KEYS);
        SettingsTree.merge(base, settings);
        bind(base, Map.of(), "base settings");

        List<GridPoint> points = List.of(GridPoint.EMPTY);
        for (Iterator<Map.Entry<String, JsonNode>> it = grid.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> axis = it.next();
            points = cross(points, axis.getKey(), axisValues(axis.getKey(), axis.getValue()));
        }

        List<Exclusions.Point> gridPoints = points.stream()
                .map(point -> new Exclusions.Point(point.swept(), point.settings())).toList();
        Exclusions exclusions = Exclusions.parse(file.get("exclude"), gridPoints, (at, message) -> error(at, message));
        List<Sweep.Excluded> excluded = new ArrayList<>();
        List<Trial> trials = new ArrayList<>();
        for (GridPoint point : points) {
            Exclusions.Entry by = exclusions.matching(new Exclusions.Point(point.swept(), point.settings()));
            if (by != null) {
                excluded.add(new Sweep.Excluded(point.swept(), by.describe()));
                continue;
            }
            ObjectNode resolved = base.deepCopy();
            point.settings().forEach((key, value) ->
                    SettingsTree.setDotted(resolved, key, value.deepCopy(), point.origins().get(key)));
            TrialConfig config = bind(resolved, point.origins(), "trial " + point.swept());
            for (long seed : seeds) {
                trials.add(new Trial(SettingsTree.trialId(resolved, seed), trials.size(), seed, point.swept(), config,
                        resolved, point.origins()));
            }
        }
        if (trials.isEmpty()) {
            throw error("/exclude", "exclude drops every grid point; nothing would run");
        }
        ReportKey.check(file.get(DoseSpec.REPORT_KEY), grid, trials, this::error);
        ObjectNode resolvedBase = base.deepCopy();
        return new Sweep(name, source, resolvedBase, grid, seeds, trials, locator, file.get("exclude"), excluded,
                file.get(DoseSpec.REPORT_KEY));
    }

    // ---- the sweep-level keys

    private String requireName(ObjectNode file) {
        JsonNode name = file.get("name");
        if (name == null || !name.isTextual() || !name.asText().matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
            throw error(name == null ? "" : "/name",
                    "'name' must be given: letters, digits, '.', '_' or '-' (it names the results folder)");
        }
        return name.asText();
    }

    private List<Long> seeds(ObjectNode file) {
        JsonNode node = file.get("seeds");
        if (node == null) {
            return List.of(0L);
        }
        if (!node.isArray() || node.isEmpty()) {
            throw error("/seeds", "'seeds' must be a non-empty list of integers, e.g. [1, 2, 3]");
        }
        List<Long> seeds = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            if (!node.get(i).canConvertToLong() || !node.get(i).isIntegralNumber()) {
                throw error("/seeds/" + i, "seeds must be integers (got '" + node.get(i).asText() + "')");
            }
            long seed = node.get(i).asLong();
            if (seeds.contains(seed)) {
                throw error("/seeds/" + i, "seed " + seed + " is listed twice");
            }
            seeds.add(seed);
        }
        return seeds;
    }

    private ObjectNode grid(ObjectNode file) {
        if (file.has("grid") && file.has("parameters")) {
            throw error("/parameters", "give either 'grid' or 'parameters', not both");
        }
        String key = file.has("parameters") ? "parameters" : "grid";
        JsonNode node = file.get(key);
        if (node == null || node.isNull()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!node.isObject()) {
            throw error("/" + key, "'" + key + "' must map setting keys to lists of values");
        }
        ObjectNode grid = JsonNodeFactory.instance.objectNode();
        node.fields().forEachRemaining(e -> {
            JsonNode values = e.getValue();
            // W&B style: parameters: {lr: {values: [...]}}
            if (values.isObject() && values.size() == 1 && values.has("values")) {
                values = values.get("values");
            }
            grid.set(e.getKey(), values);
        });
        if (key.equals("parameters")) {
            file.set("grid", grid);
        }
        return grid;
    }

    /**
     * One point of the grid so far: the swept value shown per axis (a named value's label), the
     * settings it assigns and where each was written.
     */
    private record GridPoint(Map<String, Object> swept, Map<String, JsonNode> settings, Map<String, Located> origins) {
        static final GridPoint EMPTY = new GridPoint(Map.of(), Map.of(), Map.of());
    }

    /** One value of a grid axis: a plain value (label null) or a named set of settings. */
    private record AxisValue(String label, Map<String, JsonNode> settings, Map<String, Located> origins) {}

    /** Every point so far with every value of {@code axis}, in that order. */
    private static List<GridPoint> cross(List<GridPoint> points, String axis, List<AxisValue> values) {
        List<GridPoint> crossed = new ArrayList<>();
        for (GridPoint p : points) {
            for (AxisValue v : values) {
                Map<String, Object> swept = new LinkedHashMap<>(p.swept());
                swept.put(axis, v.label() != null ? v.label() : PlanRow.value(v.settings().get(axis)));
                Map<String, JsonNode> settings = new LinkedHashMap<>(p.settings());
                settings.putAll(v.settings());
                Map<String, Located> origins = new LinkedHashMap<>(p.origins());
                origins.putAll(v.origins());
                crossed.add(new GridPoint(swept, settings, origins));
            }
        }
        return crossed;
    }

    /** The values of one grid axis: a list of values, or named values each setting several keys. */
    private List<AxisValue> axisValues(String axis, JsonNode values) {
        String at = "/grid/" + escape(axis);
        if (axis.equals("seed") || axis.equals("seeds")) {
            throw error(at + "#key", "seeds are not a grid axis; list them under 'seeds'");
        }
        List<AxisValue> result = new ArrayList<>();
        if (values.isArray()) {
            checkKey(axis, at + "#key");
            for (int i = 0; i < values.size(); i++) {
                result.add(new AxisValue(null, Map.of(axis, values.get(i)), Map.of(axis, locate(at + "/" + i))));
            }
        } else if (values.isObject() && values.size() > 0) {
            values.fields().forEachRemaining(v -> {
                String vat = at + "/" + escape(v.getKey());
                if (!v.getValue().isObject()) {
                    throw error(vat, "each value of the named axis '" + axis + "' must map setting keys to values");
                }
                Map<String, JsonNode> set = new LinkedHashMap<>();
                Map<String, Located> loc = new LinkedHashMap<>();
                v.getValue().fields().forEachRemaining(kv -> {
                    checkKey(kv.getKey(), vat + "/" + escape(kv.getKey()) + "#key");
                    set.put(kv.getKey(), kv.getValue());
                    loc.put(kv.getKey(), locate(vat + "/" + escape(kv.getKey())));
                });
                result.add(new AxisValue(v.getKey(), set, loc));
            });
        } else {
            throw error(at, "grid axis '" + axis + "' must have a non-empty list of values (or named values)");
        }
        if (result.isEmpty()) {
            throw error(at, "grid axis '" + axis + "' has no values");
        }
        return result;
    }

    /** Checks that a dotted key names a setting (free-form option maps accept any sub-key). */
    private void checkKey(String dotted, String at) {
        String problem = SettingsTree.keyProblem(dotted);
        if (problem != null) {
            throw error(at, problem);
        }
    }

    // ---- --set

    private void applySet(ObjectNode file, String set) {
        int eq = set.indexOf('=');
        if (eq <= 0) {
            throw new UserError("--set " + set + ": expected key=value, e.g. --set epochs=2 or --set grid.model.depth=[20]");
        }
        String key = set.substring(0, eq).trim();
        JsonNode value = LocatedYaml.parseValue(set.substring(eq + 1));
        Located where = new Located("--set " + set, 0, 0);
        if (key.startsWith("grid.")) {
            String axis = key.substring(5);
            ObjectNode grid = file.has("grid") && file.get("grid").isObject()
                    ? (ObjectNode) file.get("grid") : file.putObject("grid");
            grid.set(axis, value);
            overrides.put("/grid/" + escape(axis), where);
            return;
        }
        if (key.startsWith(DoseSpec.REPORT_KEY + ".")) {
            SettingsTree.setDotted(file, key, value, where);
            overrides.put(JsonPointer.compile("/" + key.replace(".", "/")).toString(), where);
            return;
        }
        if (SWEEP_KEYS.contains(key)) {
            file.set(key, value);
            overrides.put("/" + key, where);
            return;
        }
        String problem = SettingsTree.keyProblem(key);
        if (problem != null) {
            throw new UserError("--set " + set + ": " + problem);
        }
        SettingsTree.setDotted(file, key, value, where);
        overrides.put(JsonPointer.compile("/" + key.replace(".", "/")).toString(), where);
    }

    // ---- binding and error locations

    private TrialConfig bind(ObjectNode resolved, Map<String, Located> origins, String what) {
        TrialConfig config;
        try {
            config = MAPPER.treeToValue(resolved, TrialConfig.class);
        } catch (UnrecognizedPropertyException e) {
            String key = dotted(e.getPath());
            List<String> known = e.getKnownPropertyIds().stream().map(Object::toString).sorted().toList();
            throw new UserError(String.format("%s: unknown setting '%s'%s; known keys here: %s",
                    locator.locate(key, origins, true), key, Spelling.hint(e.getPropertyName(), known), String.join(", ", known)));
        } catch (JsonMappingException e) {
            String key = dotted(e.getPath());
            throw new UserError(String.format("%s: %s: wrong type: %s",
                    locator.locate(key, origins, false), key, e.getOriginalMessage().lines().findFirst().orElse("")
                            .replaceAll(" \\(class [^)]*\\)", "").replaceAll("`[a-z.]*\\$?([A-Za-z]+)`", "$1")));
        } catch (IOException e) {
            throw new UserError(source + ": " + what + ": " + e.getMessage());
        }
        Problems problems = new Problems();
        config.validate(problems, datasets);
        if (!problems.isEmpty()) {
            Problems.Problem first = problems.list().get(0);
            throw new UserError(locator.locate(first.key(), origins, false) + ": " + first.key() + ": " + first.message());
        }
        return config;
    }

    private UserError error(String pointer, String message) {
        return new UserError(locator.locatePointer(pointer) + ": " + message);
    }

    private Located locate(String pointer) {
        return locator.locatePointer(pointer);
    }

    private static String dotted(List<JsonMappingException.Reference> path) {
        return path.stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : String.valueOf(r.getIndex()))
                .collect(Collectors.joining("."));
    }

    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }


}

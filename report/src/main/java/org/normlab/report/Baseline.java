package org.normlab.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.normlab.results.UserError;

/**
 * The statistics of a report that a later run of the same sweep is checked against. As JSON:
 *
 * <pre>{@code
 * {
 *   "format": "normlab-report-baseline",
 *   "version": 1,
 *   "sweep": "noise",
 *   "group_keys": ["norm.name", "data.batch_size"],
 *   "groups": [
 *     {"swept": {"norm.name": "bn", "data.batch_size": 128},
 *      "completed": 3,
 *      "metrics": {"final_val_acc": {"mean": 0.901, "std": 0.004, "n": 3},
 *                  "params": {"mean": 271098.0, "std": 0.0, "n": 3}, ...}}
 *   ]
 * }
 * }</pre>
 *
 * {@code std} is null when n < 2; metrics with n = 0 are left out.
 */
public record Baseline(String sweep, List<String> groupKeys, List<Baseline.Group> groups) {

    public static final String FORMAT = "normlab-report-baseline";
    public static final int VERSION = 1;

    /** One group of trials: its swept settings, how many completed, and its metric summaries by name. */
    public record Group(Settings swept, int completed, Map<String, Summary> metrics) {}

    public static Baseline of(Report report) {
        List<Group> groups = new ArrayList<>();
        for (GroupRow r : report.rows()) {
            Map<String, Summary> metrics = new LinkedHashMap<>();
            r.summaries().forEach((name, s) -> {
                if (s.n() > 0) {
                    metrics.put(name, s);
                }
            });
            groups.add(new Group(r.settings(), r.completed(), metrics));
        }
        return new Baseline(report.data().name(), report.data().sweptKeys(), List.copyOf(groups));
    }

    /** The group with exactly these settings, or null. */
    public Group group(Settings swept) {
        return groups.stream().filter(g -> g.swept().equals(swept)).findFirst().orElse(null);
    }

    public void write(Path file) {
        ObjectNode root = org.normlab.results.ResultJson.READER.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        root.put("sweep", sweep);
        ArrayNode keys = root.putArray("group_keys");
        groupKeys.forEach(keys::add);
        ArrayNode list = root.putArray("groups");
        for (Group g : groups) {
            ObjectNode node = list.addObject();
            ObjectNode swept = node.putObject("swept");
            g.swept().values().forEach(swept::set);
            node.put("completed", g.completed());
            ObjectNode metrics = node.putObject("metrics");
            g.metrics().forEach((name, s) -> {
                ObjectNode m = metrics.putObject(name);
                number(m, "mean", s.mean());
                number(m, "std", s.std());
                m.put("n", s.n());
            });
        }
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            org.normlab.results.ResultJson.READER.writer(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), root);
        } catch (IOException e) {
            throw new UserError("cannot write the baseline " + file + ": " + e.getMessage(), e);
        }
    }

    private static void number(ObjectNode node, String field, double v) {
        if (Double.isFinite(v)) {
            node.put(field, v);
        } else {
            node.putNull(field);
        }
    }

    /**
     * Reads a baseline written by {@link #write}.
     *
     * @throws UserError naming the file and the problem (line and column for JSON syntax errors)
     */
    public static Baseline read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UserError("baseline " + file + ": no such file");
        }
        JsonNode root = org.normlab.results.ResultJson.read(file);
        Shape shape = new Shape(file);
        if (!root.isObject()) {
            throw shape.error("the top level", "must be an object with 'groups', found " + org.normlab.results.ResultJson.kind(root));
        }
        if (root.has("format") && !FORMAT.equals(root.get("format").asText())) {
            throw shape.error("'format'", "must be \"" + FORMAT + "\", found " + root.get("format"));
        }
        if (root.has("version") && root.get("version").asInt(-1) != VERSION) {
            throw shape.error("'version'", "must be " + VERSION + ", found " + root.get("version"));
        }
        JsonNode groupsNode = root.get("groups");
        if (groupsNode == null || !groupsNode.isArray()) {
            throw shape.error("'groups'", "must be an array of groups, found "
                    + (groupsNode == null ? "nothing" : org.normlab.results.ResultJson.kind(groupsNode)));
        }
        List<String> keys = new ArrayList<>();
        JsonNode keysNode = root.path("group_keys");
        if (keysNode.isArray()) {
            keysNode.forEach(k -> keys.add(k.asText()));
        }
        List<Group> groups = new ArrayList<>();
        for (int i = 0; i < groupsNode.size(); i++) {
            groups.add(shape.group(groupsNode.get(i), "groups[" + i + "]"));
        }
        return new Baseline(root.path("sweep").asText(""), List.copyOf(keys), List.copyOf(groups));
    }

    /** Checks the shape of a parsed baseline and names what is wrong and where. */
    private record Shape(Path file) {

        UserError error(String where, String problem) {
            return new UserError("baseline " + file + ": " + where + " " + problem
                    + " (write baselines with `report --write-baseline`)");
        }

        Group group(JsonNode g, String where) {
            if (!g.isObject()) {
                throw error(where, "must be an object, found " + org.normlab.results.ResultJson.kind(g));
            }
            JsonNode swept = g.get("swept");
            if (swept == null || !swept.isObject()) {
                throw error(where + ".swept", "must be an object of setting -> value");
            }
            Map<String, JsonNode> values = new LinkedHashMap<>();
            swept.fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue()));
            JsonNode metricsNode = g.get("metrics");
            if (metricsNode == null || !metricsNode.isObject()) {
                throw error(where + ".metrics", "must be an object of metric -> {mean, std, n}");
            }
            Map<String, Summary> metrics = new LinkedHashMap<>();
            metricsNode.fields().forEachRemaining(e -> metrics.put(e.getKey(), summary(e.getValue(), where + ".metrics." + e.getKey())));
            int completed = g.has("completed")
                    ? count(g.get("completed"), where + ".completed")
                    : metrics.values().stream().mapToInt(Summary::n).max().orElse(0);
            return new Group(new Settings(values), completed, metrics);
        }

        private Summary summary(JsonNode m, String where) {
            if (!m.isObject()) {
                throw error(where, "must be an object {mean, std, n}, found " + org.normlab.results.ResultJson.kind(m));
            }
            int n = count(m.get("n"), where + ".n");
            JsonNode mean = m.get("mean");
            if (mean == null || !mean.isNumber()) {
                throw error(where + ".mean", "must be a number, found " + (mean == null ? "nothing" : mean));
            }
            JsonNode std = m.get("std");
            if (std != null && !std.isNull() && !std.isNumber()) {
                throw error(where + ".std", "must be a number or null, found " + std);
            }
            return new Summary(n, mean.doubleValue(), std == null || std.isNull() ? Double.NaN : std.doubleValue());
        }

        private int count(JsonNode n, String where) {
            if (n == null || !n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() < 0) {
                throw error(where, "must be a whole number >= 0, found " + (n == null ? "nothing" : n));
            }
            return n.asInt();
        }
    }
}

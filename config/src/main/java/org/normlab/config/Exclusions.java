package org.normlab.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.stream.Collectors;
import org.normlab.norm.Spelling;

/**
 * A sweep file's {@code exclude:} list: each entry maps grid keys to values, and a grid point
 * that has all of an entry's values is dropped. A key is a grid axis (a dotted key, or a named
 * axis, whose value is then the label: {@code {attack: strong}}) or a setting that a named
 * axis sets ({@code {attack.name: constant}}). Keys that nothing on the grid sets, values the
 * grid never takes, and entries that match no point are errors where they were written.
 */
final class Exclusions {

    /** One entry: its position in the list and the values it matches. */
    record Entry(int index, Map<String, JsonNode> match) {
        /** {@code exclude 1: {norm.name: gn, attack.name: constant}} (1-based, as people count). */
        String describe() {
            return "exclude " + (index + 1) + ": {" + match.entrySet().stream()
                    .map(e -> e.getKey() + ": " + (e.getValue().isTextual() ? e.getValue().asText() : e.getValue()))
                    .collect(Collectors.joining(", ")) + "}";
        }
    }

    /** A grid point before binding: the axis values (labels of named axes) and every setting it assigns. */
    record Point(Map<String, Object> axes, Map<String, JsonNode> assignment) {
        JsonNode value(String key) {
            JsonNode set = assignment.get(key);
            if (set != null) {
                return set;
            }
            Object label = axes.get(key);
            return label == null ? null : TextNode.valueOf(String.valueOf(label));
        }
    }

    private final List<Entry> entries;

    private Exclusions(List<Entry> entries) {
        this.entries = entries;
    }

    static final Exclusions NONE = new Exclusions(List.of());

    /**
     * Reads and checks the entries against the grid's points.
     *
     * @param node the {@code exclude} value of the file, or null
     * @param error makes the located error for a JSON pointer of the file and a message
     */
    static Exclusions parse(JsonNode node, List<Point> points, BiFunction<String, String, RuntimeException> error) {
        return parse(node, "exclude", points, error);
    }

    /**
     * The same for another list of partial grid assignments ({@code check.cells}, {@link ConvergenceCheck}):
     * {@code key} is its dotted name, used in its JSON pointers and messages.
     */
    static Exclusions parse(JsonNode node, String key, List<Point> points, BiFunction<String, String, RuntimeException> error) {
        if (node == null || node.isNull()) {
            return NONE;
        }
        String pointer = "/" + key.replace('.', '/');
        if (!node.isArray()) {
            throw error.apply(pointer, "'" + key + "' must be a list of mappings of grid keys to values, "
                    + "e.g. [{norm.name: gn, attack.name: constant}]");
        }
        Map<String, Set<String>> onGrid = gridValues(points);
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            String at = pointer + "/" + i;
            JsonNode e = node.get(i);
            if (!e.isObject() || e.isEmpty()) {
                throw error.apply(at, "each " + key + " entry must be a non-empty mapping of grid keys to values, "
                        + "e.g. {norm.name: gn, attack.name: constant}");
            }
            Map<String, JsonNode> match = new LinkedHashMap<>();
            e.fields().forEachRemaining(kv -> {
                String name = kv.getKey();
                String kat = at + "/" + name.replace("~", "~0").replace("/", "~1");
                Set<String> values = onGrid.get(name);
                if (values == null) {
                    String unknown = SettingsTree.keyProblem(name);
                    throw error.apply(kat + "#key", key + ": " + (unknown != null
                            ? unknown + "; " + key + " names grid keys: " + String.join(", ", onGrid.keySet())
                            : "'" + name + "' is not swept by the grid; " + key + " names grid keys: "
                                    + String.join(", ", onGrid.keySet())));
                }
                if (!values.contains(canonical(kv.getValue()))) {
                    List<String> shown = values.stream().map(Exclusions::shown).toList();
                    throw error.apply(kat, String.format("%s: %s: '%s' is not a value of the grid%s; its values: %s",
                            key, name, shown(canonical(kv.getValue())), Spelling.hint(shown(canonical(kv.getValue())), shown),
                            String.join(", ", shown)));
                }
                match.put(name, kv.getValue());
            });
            Entry entry = new Entry(i, match);
            if (points.stream().noneMatch(p -> matches(entry, p))) {
                throw error.apply(at, key + ": entry " + entry.describe().substring("exclude ".length())
                        + (key.equals("exclude") ? " matches no grid point (no point has all of these values)"
                                : " matches no grid point that runs (no point left after exclude has all of these values)"));
            }
            entries.add(entry);
        }
        return new Exclusions(entries);
    }

    /** Whether some entry matches {@code point}. */
    boolean any(Point point) {
        return matching(point) != null;
    }

    /** The first entry that drops {@code point}, or null when it stays. */
    Entry matching(Point point) {
        return entries.stream().filter(e -> matches(e, point)).findFirst().orElse(null);
    }

    private static boolean matches(Entry entry, Point point) {
        return entry.match().entrySet().stream().allMatch(kv -> {
            JsonNode v = point.value(kv.getKey());
            return v != null && canonical(v).equals(canonical(kv.getValue()));
        });
    }

    /** Every key the grid sets or names, with the values it takes. */
    private static Map<String, Set<String>> gridValues(List<Point> points) {
        Map<String, Set<String>> values = new LinkedHashMap<>();
        for (Point p : points) {
            p.axes().keySet().forEach(k -> values.computeIfAbsent(k, x -> new LinkedHashSet<>()).add(canonical(p.value(k))));
            p.assignment().forEach((k, v) -> values.computeIfAbsent(k, x -> new LinkedHashSet<>()).add(canonical(v)));
        }
        return values;
    }

    /** Numbers by value (20 and 20.0 are one), text as it is, anything else as JSON. */
    private static String canonical(JsonNode v) {
        if (v.isNumber()) {
            return "n:" + v.decimalValue().stripTrailingZeros().toPlainString();
        }
        return v.isTextual() ? "s:" + v.asText() : "j:" + v;
    }

    private static String shown(String canonical) {
        return canonical.substring(2);
    }
}

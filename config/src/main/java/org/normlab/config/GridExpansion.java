package org.normlab.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.normlab.results.PlanRow;

/**
 * A sweep's grid ({@code grid:}, or W&B-style {@code parameters:}) and its cartesian product.
 * Axes are dotted keys with a list of values ({@code model.depth: [20, 56]}), or named axes whose
 * values are labelled sets of dotted keys ({@code attack: {none: {}, weak: {attack.name: constant}}}).
 */
final class GridExpansion {

    /**
     * One point of the grid: the swept value shown per axis (a named value's label), the settings
     * it assigns and where each was written.
     */
    record Point(Map<String, Object> swept, Map<String, JsonNode> settings, Map<String, Located> origins) {
        static final Point EMPTY = new Point(Map.of(), Map.of(), Map.of());
    }

    /** One value of a grid axis: a plain value (label null) or a named set of settings. */
    private record AxisValue(String label, Map<String, JsonNode> settings, Map<String, Located> origins) {}

    private final Locator locator;

    GridExpansion(Locator locator) {
        this.locator = locator;
    }

    /**
     * The grid's axes, each mapped to its values ({@code {values: [...]}} unwrapped); a
     * {@code parameters:} grid is also put into the file tree as {@code grid}.
     */
    ObjectNode axes(ObjectNode file) {
        if (file.has("grid") && file.has("parameters")) {
            throw locator.error("/parameters", "give either 'grid' or 'parameters', not both");
        }
        String key = file.has("parameters") ? "parameters" : "grid";
        JsonNode node = file.get(key);
        if (node == null || node.isNull()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!node.isObject()) {
            throw locator.error("/" + key, "'" + key + "' must map setting keys to lists of values");
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

    /** Every point of the grid, the first axis varying slowest. */
    List<Point> points(ObjectNode axes) {
        List<Point> points = List.of(Point.EMPTY);
        for (Iterator<Map.Entry<String, JsonNode>> it = axes.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> axis = it.next();
            points = cross(points, axis.getKey(), axisValues(axis.getKey(), axis.getValue()));
        }
        return points;
    }

    /** Every point so far with every value of {@code axis}, in that order. */
    private static List<Point> cross(List<Point> points, String axis, List<AxisValue> values) {
        List<Point> crossed = new ArrayList<>();
        for (Point p : points) {
            for (AxisValue v : values) {
                Map<String, Object> swept = new LinkedHashMap<>(p.swept());
                swept.put(axis, v.label() != null ? v.label() : PlanRow.value(v.settings().get(axis)));
                Map<String, JsonNode> settings = new LinkedHashMap<>(p.settings());
                settings.putAll(v.settings());
                Map<String, Located> origins = new LinkedHashMap<>(p.origins());
                origins.putAll(v.origins());
                crossed.add(new Point(swept, settings, origins));
            }
        }
        return crossed;
    }

    /** The values of one grid axis: a list of values, or named values each setting several keys. */
    private List<AxisValue> axisValues(String axis, JsonNode values) {
        String at = "/grid/" + Locator.escape(axis);
        if (axis.equals("seed") || axis.equals("seeds")) {
            throw locator.error(at + "#key", "seeds are not a grid axis; list them under 'seeds'");
        }
        List<AxisValue> result = new ArrayList<>();
        if (values.isArray()) {
            checkKey(axis, at + "#key");
            for (int i = 0; i < values.size(); i++) {
                result.add(new AxisValue(null, Map.of(axis, values.get(i)), Map.of(axis, locator.locatePointer(at + "/" + i))));
            }
        } else if (values.isObject() && values.size() > 0) {
            values.fields().forEachRemaining(v -> {
                String vat = at + "/" + Locator.escape(v.getKey());
                if (!v.getValue().isObject()) {
                    throw locator.error(vat, "each value of the named axis '" + axis + "' must map setting keys to values");
                }
                Map<String, JsonNode> set = new LinkedHashMap<>();
                Map<String, Located> loc = new LinkedHashMap<>();
                v.getValue().fields().forEachRemaining(kv -> {
                    checkKey(kv.getKey(), vat + "/" + Locator.escape(kv.getKey()) + "#key");
                    set.put(kv.getKey(), kv.getValue());
                    loc.put(kv.getKey(), locator.locatePointer(vat + "/" + Locator.escape(kv.getKey())));
                });
                result.add(new AxisValue(v.getKey(), set, loc));
            });
        } else {
            throw locator.error(at, "grid axis '" + axis + "' must have a non-empty list of values (or named values)");
        }
        if (result.isEmpty()) {
            throw locator.error(at, "grid axis '" + axis + "' has no values");
        }
        return result;
    }

    /** Checks that a dotted key names a setting (free-form option maps accept any sub-key). */
    private void checkKey(String dotted, String at) {
        String problem = SettingsTree.keyProblem(dotted);
        if (problem != null) {
            throw locator.error(at, problem);
        }
    }
}

package org.normlab.config;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.normlab.report.DoseSpec;
import org.normlab.results.UserError;

/**
 * The {@code --set key=value} overrides: each puts its value into the sweep file's tree (a grid
 * axis with {@code grid.}, a sweep-level key, or a setting by its dotted key) and is remembered
 * as the place that value was written, for error messages.
 */
final class SetOverrides {

    private final List<String> sweepKeys;
    private final Map<String, Located> locations = new LinkedHashMap<>();

    /** @param sweepKeys the sweep-level keys (name, seeds, grid, ...), set as they are */
    SetOverrides(List<String> sweepKeys) {
        this.sweepKeys = sweepKeys;
    }

    /** Where each overridden value was written, by JSON pointer; filled as {@link #apply} goes. */
    Map<String, Located> locations() {
        return locations;
    }

    void apply(ObjectNode file, String set) {
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
            locations.put("/grid/" + Locator.escape(axis), where);
            return;
        }
        if (key.startsWith(DoseSpec.REPORT_KEY + ".") || key.startsWith(ConvergenceCheck.KEY + ".")) {
            SettingsTree.setDotted(file, key, value, where);
            locations.put(JsonPointer.compile("/" + key.replace(".", "/")).toString(), where);
            return;
        }
        if (sweepKeys.contains(key)) {
            file.set(key, value);
            locations.put("/" + key, where);
            return;
        }
        String problem = SettingsTree.keyProblem(key);
        if (problem != null) {
            throw new UserError("--set " + set + ": " + problem);
        }
        SettingsTree.setDotted(file, key, value, where);
        locations.put(JsonPointer.compile("/" + key.replace(".", "/")).toString(), where);
    }
}

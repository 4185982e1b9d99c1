package org.normlab.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.normlab.results.UserError;

/**
 * A sweep folder's sweep.yaml (the resolved sweep the runner wrote), parsed once: its text as
 * the report shows it, the sweep's name, the grid's named axes and the {@code report:} settings.
 * A sweep.yaml that is not YAML only costs the name and the named axes (the text is shown as it
 * is); a malformed {@code report:} key is an error, as the loader would have made it.
 */
public final class SweepYaml {

    private static final YAMLMapper YAML = new YAMLMapper();

    private final Path file;
    private final String text;
    private final JsonNode root;
    private final DoseSpec dose;

    /** No sweep.yaml in any folder. */
    static final SweepYaml NONE = new SweepYaml(null, null, MissingNode.getInstance());

    private SweepYaml(Path file, String text, JsonNode root) {
        this.file = file;
        this.text = text;
        this.root = root;
        this.dose = DoseSpec.parse(root.get(DoseSpec.REPORT_KEY), checks());
    }

    static SweepYaml parse(Path file, String text) {
        JsonNode root;
        try {
            root = YAML.readTree(text);
        } catch (IOException e) {
            root = null;
        }
        return new SweepYaml(file, text, root == null ? MissingNode.getInstance() : root);
    }

    /**
     * The errors of {@code report:} name this file and the key ({@code report.dose_response[1].strength});
     * the setting names were checked when the sweep was loaded.
     */
    DoseSpec.Checks checks() {
        return DoseSpec.Checks.structural(
                (pointer, message) -> new UserError(file + ": " + DoseSpec.dotted(pointer) + ": " + message));
    }

    /** The text as written, or null for {@link #NONE}. */
    String text() {
        return text;
    }

    /** The sweep's {@code name}, or null. */
    String name() {
        return root.path("name").isTextual() ? root.get("name").asText() : null;
    }

    /** {@code report.dose_response}, or null when the sweep has none. */
    DoseSpec dose() {
        return dose;
    }

    /** {@code check.tolerance}, or {@code fallback} when it is not set. */
    double checkTolerance(double fallback) {
        JsonNode t = root.path("check").path("tolerance");
        return t.isNumber() ? t.doubleValue() : fallback;
    }

    /** The named grid axes (values are labelled sets of settings) of which some value sets a key {@code keyMatches}. */
    List<String> namedAxesSetting(java.util.function.Predicate<String> keyMatches) {
        List<String> axes = new ArrayList<>();
        root.path("grid").fields().forEachRemaining(axis -> {
            if (!axis.getValue().isObject()) {
                return;
            }
            boolean sets = false;
            for (JsonNode value : axis.getValue()) {
                if (value.isObject()) {
                    for (java.util.Iterator<String> k = value.fieldNames(); k.hasNext(); ) {
                        sets |= keyMatches.test(k.next());
                    }
                }
            }
            if (sets) {
                axes.add(axis.getKey());
            }
        });
        return axes;
    }

    /** The named grid axes of which some value sets one of {@code keys} (or a key under one). */
    List<String> namedAxesSetting(Collection<String> keys) {
        return namedAxesSetting(k -> keys.stream().anyMatch(x -> k.equals(x) || x.startsWith(k + ".") || k.startsWith(x + ".")));
    }
}

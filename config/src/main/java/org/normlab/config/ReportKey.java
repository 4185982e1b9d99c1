package org.normlab.config;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.normlab.report.DoseSpec;

/**
 * The sweep file's {@code report:} key, checked before anything runs: {@code report.dose_response}
 * names settings (or grid axes), each family matches a grid point that runs and each point's
 * strength is a number. The report reads the same key back from sweep.yaml and applies the same
 * {@link DoseSpec} to the results; the key is not a trial setting, so trial ids do not change.
 */
final class ReportKey {

    private ReportKey() {}

    /** @param error makes the located error for a JSON pointer of the file and a message */
    static void check(JsonNode report, ObjectNode grid, List<Trial> trials, BiFunction<String, String, RuntimeException> error) {
        List<String> axes = new ArrayList<>();
        grid.fieldNames().forEachRemaining(axes::add);
        DoseSpec.Checks checks = new DoseSpec.Checks() {
            public RuntimeException error(String pointer, String message) {
                return error.apply(pointer, message);
            }

            public String keyProblem(String dotted) {
                return axes.contains(dotted) ? null : SettingsTree.keyProblem(dotted);
            }
        };
        DoseSpec spec = DoseSpec.parse(report, checks);
        if (spec == null) {
            return;
        }
        Map<String, DoseSpec.Lookup> points = new LinkedHashMap<>();
        for (Trial t : trials) {
            points.putIfAbsent("grid point " + t.swept(), dotted -> {
                JsonNode v = t.resolved().at(JsonPointer.compile("/" + dotted.replace("~", "~0").replace(".", "/")));
                Object label = t.swept().get(dotted);
                return !v.isMissingNode() ? v : label == null ? null : TrialBinder.MAPPER.valueToTree(label);
            });
        }
        spec.check(points, checks);
    }
}

package org.normlab.report;

import static org.normlab.report.DoseSpec.BASELINE_KEY;
import static org.normlab.report.DoseSpec.FAMILIES_KEY;
import static org.normlab.report.DoseSpec.NO_ATTACK;
import static org.normlab.report.DoseSpec.REPORT_KEY;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.normlab.report.DoseSpec.Baseline;
import org.normlab.report.DoseSpec.Checks;
import org.normlab.report.DoseSpec.Family;

/** Reads and checks the shape of the sweep file's {@code report} value into a {@link DoseSpec}. */
final class DoseSpecReader {

    private static final List<String> REPORT_KEYS = List.of(FAMILIES_KEY, BASELINE_KEY);
    private static final List<String> FAMILY_KEYS = List.of("name", "where", "strength");
    private static final List<String> BASELINE_KEYS = List.of("name", "where");
    private static final String NAME_PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]*";

    private DoseSpecReader() {}

    /**
     * Reads the sweep file's {@code report} value.
     *
     * @return null when there is no {@code report.dose_response}
     */
    static DoseSpec parse(JsonNode report, Checks checks) {
        if (report == null || report.isNull() || report.isMissingNode()) {
            return null;
        }
        String at = "/" + REPORT_KEY;
        if (!report.isObject()) {
            throw checks.error(at, "'report' must be a mapping, e.g. report: {dose_response: [{name: constant, "
                    + "where: {attack.name: constant}, strength: attack.options.b}]}");
        }
        unknownKeys(report, at, REPORT_KEYS, "report", checks);
        JsonNode list = report.get(FAMILIES_KEY);
        if (list == null || list.isNull()) {
            if (report.has(BASELINE_KEY)) {
                throw checks.error(at + "/" + BASELINE_KEY + "#key", "report.dose_baseline needs report.dose_response");
            }
            return null;
        }
        if (!list.isArray() || list.isEmpty()) {
            throw checks.error(at + "/" + FAMILIES_KEY, "report.dose_response must be a non-empty list of families "
                    + "{name, where: {setting: value, ...}, strength: setting}");
        }
        List<Family> families = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            Family f = family(i, list.get(i), at + "/" + FAMILIES_KEY + "/" + i, checks);
            if (families.stream().anyMatch(g -> g.name().equals(f.name()))) {
                throw checks.error(at + "/" + FAMILIES_KEY + "/" + i + "/name",
                        "report.dose_response: the family name '" + f.name() + "' is given twice");
            }
            families.add(f);
        }
        Baseline baseline = baseline(report.get(BASELINE_KEY), at + "/" + BASELINE_KEY, checks);
        if (families.stream().anyMatch(f -> f.name().equals(baseline.name()))) {
            throw checks.error(at + "/" + BASELINE_KEY, "report.dose_baseline: its name '" + baseline.name()
                    + "' is a family's name too; give it another (name: ...)");
        }
        return new DoseSpec(families, baseline);
    }

    private static Family family(int index, JsonNode node, String at, Checks checks) {
        String what = "report.dose_response entry " + (index + 1);
        if (!node.isObject()) {
            throw checks.error(at, what + " must be a mapping {name, where: {setting: value, ...}, strength: setting}");
        }
        unknownKeys(node, at, FAMILY_KEYS, what, checks);
        for (String required : FAMILY_KEYS) {
            if (!node.hasNonNull(required)) {
                throw checks.error(at, what + " has no '" + required + "'; each family needs name, where and strength");
            }
        }
        String name = name(node.get("name"), at + "/name", what, checks);
        Map<String, JsonNode> where = where(node.get("where"), at + "/where", what + " (" + name + ")", checks);
        JsonNode strength = node.get("strength");
        if (!strength.isTextual()) {
            throw checks.error(at + "/strength", what + " (" + name + "): 'strength' must name a numeric setting, "
                    + "e.g. attack.options.b");
        }
        String problem = checks.keyProblem(strength.asText());
        if (problem != null) {
            throw checks.error(at + "/strength", what + " (" + name + "): strength: " + problem);
        }
        return new Family(index, name, where, strength.asText());
    }

    private static Baseline baseline(JsonNode node, String at, Checks checks) {
        if (node == null || node.isNull()) {
            return new Baseline(NO_ATTACK, null);
        }
        String what = "report.dose_baseline";
        if (!node.isObject() || !node.has("where")) {
            throw checks.error(at, what + " must be a mapping {where: {setting: value, ...}} (and optionally name)");
        }
        unknownKeys(node, at, BASELINE_KEYS, what, checks);
        String name = node.has("name") ? name(node.get("name"), at + "/name", what, checks) : NO_ATTACK;
        return new Baseline(name, where(node.get("where"), at + "/where", what, checks));
    }

    private static String name(JsonNode name, String at, String what, Checks checks) {
        if (!name.isTextual() || !name.asText().matches(NAME_PATTERN)) {
            throw checks.error(at, what + ": 'name' must be letters, digits, '.', '_' or '-' (it labels the figure "
                    + "and the tables), found " + name);
        }
        return name.asText();
    }

    private static Map<String, JsonNode> where(JsonNode node, String at, String what, Checks checks) {
        if (!node.isObject() || node.isEmpty()) {
            throw checks.error(at, what + ": 'where' must be a non-empty mapping of settings to values, "
                    + "e.g. {attack.name: constant}");
        }
        Map<String, JsonNode> where = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> {
            String kat = at + "/" + e.getKey().replace("~", "~0").replace("/", "~1");
            String problem = checks.keyProblem(e.getKey());
            if (problem != null) {
                throw checks.error(kat + "#key", what + ": where: " + problem);
            }
            if (e.getValue().isContainerNode()) {
                throw checks.error(kat, what + ": where: " + e.getKey() + ": give one value (text or number), found "
                        + e.getValue());
            }
            where.put(e.getKey(), e.getValue());
        });
        return where;
    }

    private static void unknownKeys(JsonNode node, String at, List<String> known, String what, Checks checks) {
        node.fieldNames().forEachRemaining(k -> {
            if (!known.contains(k)) {
                throw checks.error(at + "/" + k.replace("~", "~0").replace("/", "~1") + "#key",
                        what + ": unknown key '" + k + "'; known keys: " + String.join(", ", known));
            }
        });
    }

}

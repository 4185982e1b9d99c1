package org.normlab.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * The sweep key {@code report.dose_response}: which trials draw the dose–response figure. Each
 * family names the settings its trials have ({@code where}) and the numeric setting that is its
 * strength; the strength-0 point of every family is the baseline: the trials that match no
 * family and have no attack ({@code attack.name} none), or those of {@code report.dose_baseline}.
 * Nothing here knows an attack by name, so a plugin's attack is a family like any other:
 * <pre>
 * report:
 *   dose_response:
 *     - {name: constant, where: {attack.name: constant}, strength: attack.options.b}
 *     - {name: mix, where: {data.name: mix}, strength: data.mix.ratio}
 *   dose_baseline: {name: none, where: {attack.name: none, data.name: fashion-mnist}}   # optional
 * </pre>
 * The sweep loader checks it against the grid before anything runs (errors with file, line and
 * column); the report reads it back from sweep.yaml and applies the same rule to each result.
 */
public final class DoseSpec {

    /** The sweep-level key that holds report settings. */
    public static final String REPORT_KEY = "report";

    static final String FAMILIES_KEY = "dose_response";
    static final String BASELINE_KEY = "dose_baseline";

    /** Without {@code dose_baseline}: a baseline trial has this setting absent or {@value #NO_ATTACK}. */
    static final String ATTACK_KEY = "attack.name";

    static final String NO_ATTACK = "none";

    /** One family: its trials have every {@code where} value; its x is the value of {@code strength}. */
    public record Family(int index, String name, Map<String, JsonNode> where, String strength) {}

    /** The strength-0 trials; {@code where} null: the default rule (no family, no attack). */
    public record Baseline(String name, Map<String, JsonNode> where) {}

    /** Where a trial stands: its family (the baseline's name for the baseline) and strength (0 for the baseline). */
    public record Dose(String family, double strength, boolean baseline) {}

    /** A trial's settings by dotted key (a grid axis' name gives its value's label); null when it has none. */
    public interface Lookup {
        JsonNode get(String dotted);
    }

    /** What the caller knows about settings, and how it reports a problem at a JSON pointer of the sweep file. */
    public interface Checks {
        RuntimeException error(String pointer, String message);

        /** What is wrong with a dotted key in {@code where} or {@code strength}, or null when it names a setting. */
        String keyProblem(String dotted);

        /** Checks the shape only (the names were checked when the sweep was loaded). */
        static Checks structural(BiFunction<String, String, RuntimeException> error) {
            return new Checks() {
                public RuntimeException error(String pointer, String message) {
                    return error.apply(pointer, message);
                }

                public String keyProblem(String dotted) {
                    return null;
                }
            };
        }
    }

    private final List<Family> families;
    private final Baseline baseline;

    DoseSpec(List<Family> families, Baseline baseline) {
        this.families = List.copyOf(families);
        this.baseline = baseline;
    }

    public List<Family> families() {
        return families;
    }

    public Baseline baseline() {
        return baseline;
    }

    /** Every setting the spec reads: the families' {@code where} and {@code strength} keys and the baseline's. */
    public Set<String> keys() {
        Set<String> keys = new LinkedHashSet<>();
        families.forEach(f -> {
            keys.addAll(f.where().keySet());
            keys.add(f.strength());
        });
        if (baseline.where() == null) {
            keys.add(ATTACK_KEY);
        } else {
            keys.addAll(baseline.where().keySet());
        }
        return keys;
    }

    /**
     * Reads the sweep file's {@code report} value (see {@link DoseSpecReader}).
     *
     * @return null when there is no {@code report.dose_response}
     */
    public static DoseSpec parse(JsonNode report, Checks checks) {
        return DoseSpecReader.parse(report, checks);
    }

    // ---- the rule, the same for the loader (grid points) and the report (results)

    /**
     * Where a trial stands in the figure, or null when it is in no family and not in the baseline.
     *
     * @throws RuntimeException from {@code checks} when two families match it or its strength is not a number
     */
    public Dose classify(Lookup trial, String trialName, Checks checks) {
        List<Family> matching = families.stream().filter(f -> matches(f.where(), trial)).toList();
        if (matching.size() > 1) {
            throw checks.error(pointer(matching.get(1)), "report.dose_response: " + trialName + " matches the families "
                    + matching.stream().map(Family::name).collect(Collectors.joining(" and "))
                    + "; a trial belongs to one family at most (make their 'where' settings exclusive)");
        }
        if (matching.size() == 1) {
            Family f = matching.get(0);
            JsonNode x = trial.get(f.strength());
            if (x == null || !x.isNumber()) {
                throw checks.error(pointer(f) + "/strength", String.format(
                        "report.dose_response entry %d (%s): strength: %s is %s in %s; it must be a number",
                        f.index() + 1, f.name(), f.strength(), x == null ? "not set" : "'" + Settings.display(x) + "'",
                        trialName));
            }
            return new Dose(f.name(), x.doubleValue(), false);
        }
        if (baseline.where() != null ? matches(baseline.where(), trial) : noAttack(trial)) {
            return new Dose(baseline.name(), 0, true);
        }
        return null;
    }

    /**
     * Checks that every family (and an explicit baseline) matches at least one of {@code trials}
     * and that {@link #classify} accepts each of them.
     */
    public void check(Map<String, Lookup> trials, Checks checks) {
        Set<String> seen = new LinkedHashSet<>();
        boolean baselineSeen = false;
        for (Map.Entry<String, Lookup> t : trials.entrySet()) {
            Dose d = classify(t.getValue(), t.getKey(), checks);
            if (d != null) {
                seen.add(d.family());
                baselineSeen |= d.baseline();
            }
        }
        for (Family f : families) {
            if (!seen.contains(f.name())) {
                throw checks.error(pointer(f), String.format(
                        "report.dose_response entry %d (%s): where %s matches no trial of the grid",
                        f.index() + 1, f.name(), describe(f.where())));
            }
        }
        if (baseline.where() != null && !baselineSeen) {
            throw checks.error("/" + REPORT_KEY + "/" + BASELINE_KEY, "report.dose_baseline: where "
                    + describe(baseline.where()) + " matches no trial of the grid that is in no family");
        }
    }

    private static boolean matches(Map<String, JsonNode> where, Lookup trial) {
        return where.entrySet().stream().allMatch(e -> {
            JsonNode v = trial.get(e.getKey());
            return v != null && Settings.canonical(v).equals(Settings.canonical(e.getValue()));
        });
    }

    private static boolean noAttack(Lookup trial) {
        JsonNode attack = trial.get(ATTACK_KEY);
        return attack == null || attack.isNull() || NO_ATTACK.equals(attack.asText());
    }

    private static String pointer(Family f) {
        return "/" + REPORT_KEY + "/" + FAMILIES_KEY + "/" + f.index();
    }

    private static String describe(Map<String, JsonNode> where) {
        return "{" + where.entrySet().stream().map(e -> e.getKey() + ": " + Settings.display(e.getValue()))
                .collect(Collectors.joining(", ")) + "}";
    }

    /** A JSON pointer of the sweep file as a person reads it: {@code /report/dose_response/1/strength} as {@code report.dose_response[1].strength}. */
    static String dotted(String pointer) {
        StringBuilder s = new StringBuilder();
        for (String part : pointer.replace("#key", "").split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            if (part.matches("\\d+")) {
                s.append('[').append(part).append(']');
            } else {
                s.append(s.length() == 0 ? "" : ".").append(part.replace("~1", "/").replace("~0", "~"));
            }
        }
        return s.toString();
    }
}

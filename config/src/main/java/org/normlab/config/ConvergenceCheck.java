package org.normlab.config;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.normlab.report.DoseSpec;

/**
 * The sweep key {@code check}: named cells of the grid run again at a multiple of their budget,
 * so that the report can show whether the budget had converged where the effect is claimed
 * (under attack), not only where nothing happens:
 * <pre>
 * check: {budget: 2, cells: [{attack: none}, {attack: constant-1}], tolerance: 0.02}
 * </pre>
 * {@code cells} are partial assignments of grid keys, matched as {@code exclude:} entries are
 * ({@link Exclusions}); without them a sweep with {@code report.dose_response} checks its
 * baseline and the strongest dose of every family. A check trial has every setting of its cell
 * with {@code steps} (or, without a steps budget, {@code epochs}) multiplied by {@code budget},
 * its own trial id, and the swept-like key {@value #MARK} (the factor) that tells the report it
 * is a check trial, kept out of every main table.
 *
 * @param budget the factor, an integer of at least 2
 * @param cells the {@code cells} list as written, or null for the default
 */
record ConvergenceCheck(int budget, JsonNode cells) {

    static final String KEY = "check";

    /** The key trials.json, result.json and results.csv mark a check trial with (its value: the factor). */
    static final String MARK = "check.budget";

    private static final List<String> KEYS = List.of("budget", "cells", "tolerance");
    private static final String EXAMPLE = "e.g. check: {budget: 2, cells: [{attack: none}]}";

    /** Reads {@code check}, or returns null when the file has none. */
    static ConvergenceCheck parse(JsonNode node, BiFunction<String, String, RuntimeException> error) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw error.apply("/check", "'check' must be a mapping, " + EXAMPLE);
        }
        node.fieldNames().forEachRemaining(k -> {
            if (!KEYS.contains(k)) {
                throw error.apply("/check/" + Locator.escape(k) + "#key", String.format(
                        "check: unknown key '%s'%s; allowed: %s", k, org.normlab.norm.Spelling.hint(k, KEYS), String.join(", ", KEYS)));
            }
        });
        JsonNode budget = node.get("budget");
        if (budget == null || !budget.isIntegralNumber() || !budget.canConvertToInt() || budget.asInt() < 2) {
            throw error.apply(budget == null ? "/check" : "/check/budget", "check.budget: must be an integer of at least 2, "
                    + "the factor the check multiplies each checked cell's steps (or epochs) by"
                    + (budget == null ? " (it is not set)" : " (got '" + budget.asText() + "')"));
        }
        JsonNode tolerance = node.get("tolerance");
        if (tolerance != null && !(tolerance.isNumber() && tolerance.doubleValue() > 0 && tolerance.doubleValue() <= 1)) {
            throw error.apply("/check/tolerance", "check.tolerance: must be a number in (0, 1], the largest difference "
                    + "of the metric at twice the budget that counts as converged, e.g. 0.02 (got '" + tolerance.asText() + "')");
        }
        return new ConvergenceCheck(budget.asInt(), node.get("cells"));
    }

    /** A kept grid point with its resolved settings. */
    record Cell(GridExpansion.Point point, ObjectNode resolved) {}

    /**
     * The kept grid points to check, in grid order: those a {@code cells} entry matches, or
     * without {@code cells} the dose spec's baseline and strongest dose of every family.
     */
    List<Cell> select(List<Cell> kept, JsonNode report, BiFunction<String, String, RuntimeException> error) {
        if (cells != null && !cells.isNull()) {
            List<Exclusions.Point> points = kept.stream().map(c -> point(c)).toList();
            Exclusions named = Exclusions.parse(cells, "check.cells", points, error);
            return kept.stream().filter(c -> named.any(point(c))).toList();
        }
        DoseSpec spec = DoseSpec.parse(report, DoseSpec.Checks.structural(error));
        if (spec == null) {
            throw error.apply("/check", "check: name the cells to run at " + budget + "x the budget with 'cells' "
                    + "(a list of grid keys to values, as in exclude), " + EXAMPLE
                    + "; only a sweep with report.dose_response has a default (its baseline and strongest doses)");
        }
        DoseSpec.Checks checks = DoseSpec.Checks.structural(error);
        Map<String, Double> strongest = new HashMap<>();
        List<DoseSpec.Dose> doses = new ArrayList<>();
        for (Cell c : kept) {
            DoseSpec.Dose d = spec.classify(lookup(c), "grid point " + c.point().swept(), checks);
            doses.add(d);
            if (d != null && !d.baseline()) {
                strongest.merge(d.family(), d.strength(), Math::max);
            }
        }
        List<Cell> chosen = new ArrayList<>();
        for (int i = 0; i < kept.size(); i++) {
            DoseSpec.Dose d = doses.get(i);
            if (d != null && (d.baseline() || d.strength() == strongest.get(d.family()))) {
                chosen.add(kept.get(i));
            }
        }
        return chosen;
    }

    /** A copy of a cell's settings with its budget multiplied: steps when it has a steps budget, else epochs. */
    ObjectNode longer(ObjectNode resolved) {
        ObjectNode copy = resolved.deepCopy();
        String key = copy.path("steps").isNumber() ? "steps" : "epochs";
        copy.set(key, IntNode.valueOf(Math.multiplyExact(copy.get(key).asInt(), budget)));
        return copy;
    }

    private static Exclusions.Point point(Cell c) {
        return new Exclusions.Point(c.point().swept(), c.point().settings());
    }

    /** A setting of the cell by dotted key; a named axis gives its label (as {@link ReportKey} does). */
    private static DoseSpec.Lookup lookup(Cell c) {
        return dotted -> {
            JsonNode v = c.resolved().at(JsonPointer.compile("/" + dotted.replace("~", "~0").replace(".", "/")));
            Object label = c.point().swept().get(dotted);
            return !v.isMissingNode() ? v : label == null ? null : TrialBinder.MAPPER.valueToTree(label);
        };
    }
}

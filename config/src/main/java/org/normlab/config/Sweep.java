package org.normlab.config;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.normlab.results.PlanRow;
import org.normlab.results.ResultStore;

/**
 * A validated sweep file: a base experiment, a grid and seeds, expanded into trials.
 *
 * @param name the sweep's name (its results folder)
 * @param source the file it came from
 * @param base the base settings with defaults and --set overrides applied
 * @param grid the grid as written (axis -> values, or axis -> {label: {key: value}})
 * @param seeds the seeds; every grid point runs once per seed
 * @param trials the expanded trials, in order
 * @param locator where each setting was written, for error messages
 * @param exclude the file's {@code exclude:} list as written, or null
 * @param excluded the grid points it dropped, in grid order
 * @param report the file's {@code report:} settings as written (checked by the loader), or null
 * @param check the file's {@code check:} settings as written (checked by the loader), or null
 */
public record Sweep(
        String name, String source, ObjectNode base, ObjectNode grid, List<Long> seeds, List<Trial> trials, Locator locator,
        com.fasterxml.jackson.databind.JsonNode exclude, List<Excluded> excluded,
        com.fasterxml.jackson.databind.JsonNode report, com.fasterxml.jackson.databind.JsonNode check) {

    /**
     * A grid point that {@code exclude:} dropped.
     *
     * @param point the value of every grid axis (named axes give their label)
     * @param by the entry that matched, e.g. {@code exclude 1: {norm.name: gn, attack.name: constant}}
     */
    public record Excluded(Map<String, Object> point, String by) {}

    /** The same sweep with other trials (a shard's part, renumbered). */
    public Sweep withTrials(List<Trial> part) {
        return new Sweep(name, source, base, grid, seeds, part, locator, exclude, excluded, report, check);
    }

    /** The axis names, in the order of the file; then {@value ConvergenceCheck#MARK} when some trial is a check trial. */
    public List<String> axes() {
        List<String> axes = new java.util.ArrayList<>();
        grid.fieldNames().forEachRemaining(axes::add);
        if (!checkTrials().isEmpty()) {
            axes.add(ConvergenceCheck.MARK);
        }
        return axes;
    }

    /** The trials {@code check:} added (after the main ones), each marked {@value ConvergenceCheck#MARK}. */
    public List<Trial> checkTrials() {
        return trials.stream().filter(t -> t.swept().containsKey(ConvergenceCheck.MARK)).toList();
    }

    /** The trials as trials.json lists them. */
    public List<PlanRow> plan() {
        return trials.stream().map(t -> new PlanRow(t.id(), t.seed(), t.swept())).toList();
    }

    /** The resolved sweep as sweep.yaml holds it. */
    public ObjectNode document() {
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        doc.put("name", name);
        doc.put("source", source);
        doc.set("seeds", ResultStore.JSON.valueToTree(seeds));
        doc.set("grid", grid);
        if (exclude != null && !exclude.isNull()) {
            doc.set("exclude", exclude);
        }
        if (report != null && !report.isNull()) {
            doc.set("report", report);   // read back by the report (report.dose_response)
        }
        if (check != null && !check.isNull()) {
            doc.set("check", check);     // read back by the report (check.tolerance)
        }
        doc.set("base", base);
        return doc;
    }

    /** Trials by id. */
    public Map<String, Trial> byId() {
        Map<String, Trial> m = new java.util.LinkedHashMap<>();
        trials.forEach(t -> m.put(t.id(), t));
        return m;
    }
}

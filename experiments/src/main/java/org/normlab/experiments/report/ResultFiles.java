package org.normlab.experiments.report;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.normlab.experiments.UserError;

/** Reads the result files of RESULTS-FORMAT.md; anything malformed is a {@link UserError} naming the file. */
final class ResultFiles {

    static final ObjectMapper JSON =
            JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    private static final CsvMapper CSV = new CsvMapper();

    private ResultFiles() {}

    /** The JSON in {@code file}; syntax errors name the line and column. */
    static JsonNode readJson(Path file) {
        try {
            JsonNode node = JSON.readTree(file.toFile());
            if (node == null || node.isMissingNode()) {
                throw new UserError(file + ": the file is empty; expected JSON");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new UserError(file + ": not valid JSON: " + describe(e), e);
        } catch (IOException e) {
            throw new UserError(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** "line 3, column 7: Unexpected character ..." */
    static String describe(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String where = at == null || at.getLineNr() < 0
                ? ""
                : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
        return where + e.getOriginalMessage();
    }

    static String readText(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UserError(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** trials.json: an array of {"trial_id", "seed", "swept"}. */
    static List<PlannedTrial> readTrials(Path file) {
        JsonNode root = readJson(file);
        if (!root.isArray()) {
            throw new UserError(file + ": expected a JSON array of planned trials, found " + kind(root));
        }
        List<PlannedTrial> trials = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            JsonNode t = root.get(i);
            String where = file + ": entry " + i;
            if (!t.isObject()) {
                throw new UserError(where + ": expected an object, found " + kind(t));
            }
            trials.add(new PlannedTrial(
                    requireText(t, "trial_id", where), seed(t, where), swept(t.get("swept"), where)));
        }
        return trials;
    }

    /** One trial's result.json; its history falls back to metrics.csv beside it. */
    static TrialResult readResult(Path file) {
        JsonNode r = readJson(file);
        String where = file.toString();
        if (!r.isObject()) {
            throw new UserError(where + ": expected a JSON object, found " + kind(r));
        }
        String id = requireText(r, "trial_id", where);
        String statusText = requireText(r, "status", where);
        TrialStatus status = TrialStatus.parse(statusText);
        if (status == null) {
            throw new UserError(String.format(
                    "%s: unknown status '%s'; allowed: %s", where, statusText, TrialStatus.allowed()));
        }
        JsonNode metricsNode = r.path("metrics");
        if (!metricsNode.isObject() && !metricsNode.isNull() && !metricsNode.isMissingNode()) {
            throw new UserError(where + ": 'metrics' must be an object or null, found " + kind(metricsNode));
        }
        List<Epoch> history = history(r.get("history"), where);
        if (history.isEmpty()) {
            Path csv = file.resolveSibling("metrics.csv");
            if (Files.isRegularFile(csv)) {
                history = readMetricsCsv(csv);
            }
        }
        String detail = null;
        if (status == TrialStatus.DIVERGED && r.hasNonNull("diverged_epoch")) {
            detail = "diverged at epoch " + r.get("diverged_epoch").asText();
        } else if (r.hasNonNull("error")) {
            detail = r.get("error").asText();
        }
        return new TrialResult(
                id,
                r.path("sweep").asText(null),
                status,
                seed(r, where),
                swept(r.get("swept"), where),
                r.get("config"),
                metrics(metricsNode, where),
                metricsNode.isMissingNode() ? JSON.nullNode() : metricsNode,
                history,
                detail,
                file);
    }

    /** metrics.csv: one row per epoch with a header; unparseable cells become NaN. */
    static List<Epoch> readMetricsCsv(Path file) {
        List<Epoch> epochs = new ArrayList<>();
        try (MappingIterator<Map<String, String>> rows = CSV.readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader())
                .readValues(file.toFile())) {
            while (rows.hasNext()) {
                Map<String, String> row = rows.next();
                double epoch = parse(row.get("epoch"));
                if (Double.isNaN(epoch)) {
                    continue;
                }
                epochs.add(new Epoch(
                        (int) epoch,
                        parse(row.get("train_loss")),
                        parse(row.get("train_acc")),
                        parse(row.get("val_loss")),
                        parse(row.get("val_acc"))));
            }
        } catch (JsonProcessingException e) {
            throw new UserError(file + ": not valid CSV: " + describe(e), e);
        } catch (IOException e) {
            throw new UserError(file + ": cannot read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new UserError(file + ": not valid CSV: " + e.getMessage(), e);
        }
        return epochs;
    }

    private static double parse(String cell) {
        if (cell == null || cell.isBlank()) {
            return Double.NaN;
        }
        try {
            double v = Double.parseDouble(cell.trim());
            return Double.isFinite(v) ? v : Double.NaN;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static List<Epoch> history(JsonNode node, String where) {
        List<Epoch> epochs = new ArrayList<>();
        if (node == null || node.isNull()) {
            return epochs;
        }
        if (!node.isArray()) {
            throw new UserError(where + ": 'history' must be an array, found " + kind(node));
        }
        for (JsonNode e : node) {
            if (!e.path("epoch").isNumber()) {
                throw new UserError(where + ": every 'history' entry needs a numeric 'epoch', found " + e);
            }
            epochs.add(new Epoch(
                    e.get("epoch").asInt(),
                    number(e.get("train_loss")),
                    number(e.get("train_acc")),
                    number(e.get("val_loss")),
                    number(e.get("val_acc"))));
        }
        return epochs;
    }

    private static Map<String, Double> metrics(JsonNode m, String where) {
        Map<String, Double> values = new LinkedHashMap<>();
        if (!m.isObject()) {
            return values;
        }
        for (Metric metric : Metric.STANDARD) {
            double v = number(m.get(metric.name()));
            if (!Double.isNaN(v)) {
                values.put(metric.name(), v);
            }
        }
        JsonNode components = m.get("val_acc_by_component");
        if (components != null && components.isObject()) {
            components.fields().forEachRemaining(e -> {
                double v = number(e.getValue());
                if (!Double.isNaN(v)) {
                    values.put(Metric.component(e.getKey()).name(), v);
                }
            });
        } else if (components != null && !components.isNull()) {
            throw new UserError(where + ": 'metrics.val_acc_by_component' must be an object, found " + kind(components));
        }
        return values;
    }

    /** A finite number, else NaN (null, missing, text or NaN/Inf). */
    private static double number(JsonNode v) {
        if (v == null || !v.isNumber()) {
            return Double.NaN;
        }
        double d = v.doubleValue();
        return Double.isFinite(d) ? d : Double.NaN;
    }

    private static Settings swept(JsonNode node, String where) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            throw new UserError(where + ": 'swept' must be an object of setting -> value, found " + kind(node));
        }
        Map<String, JsonNode> values = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue()));
        return new Settings(values);
    }

    private static Integer seed(JsonNode node, String where) {
        JsonNode s = node.get("seed");
        if (s == null || s.isNull()) {
            return null;
        }
        if (!s.canConvertToInt()) {
            throw new UserError(where + ": 'seed' must be an integer, found " + s);
        }
        return s.asInt();
    }

    private static String requireText(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new UserError(String.format(
                    "%s: '%s' must be a non-empty string, found %s", where, field, v == null ? "nothing" : v));
        }
        return v.asText();
    }

    static String kind(JsonNode n) {
        return n.getNodeType().name().toLowerCase(Locale.ROOT);
    }
}

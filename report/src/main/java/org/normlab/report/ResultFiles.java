package org.normlab.report;

import static org.normlab.results.ResultJson.describe;
import static org.normlab.results.ResultJson.kind;
import static org.normlab.results.ResultJson.requireText;
import static org.normlab.results.ResultSchema.*;

import org.normlab.results.FileNames;
import org.normlab.results.ResultJson;
import org.normlab.results.TrialStatus;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.normlab.results.UserError;

/** Reads the result files of RESULTS-FORMAT.md; anything malformed is a {@link UserError} naming the file. */
final class ResultFiles {

    private static final CsvMapper CSV = new CsvMapper();

    private ResultFiles() {}

    static String readText(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UserError(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** trials.json: an array of {"trial_id", "seed", "swept"}. */
    static List<PlannedTrial> readTrials(Path file) {
        JsonNode root = ResultJson.read(file);
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
                    requireText(t, TRIAL_ID, where), seed(t, where), swept(t.get(SWEPT), where)));
        }
        return trials;
    }

    /** One trial's result.json; its history falls back to metrics.csv beside it. */
    static TrialOutcome readResult(Path file) {
        JsonNode r = ResultJson.read(file);
        if (!r.isObject()) {
            throw new UserError(file + ": expected a JSON object, found " + kind(r));
        }
        return readResult(file, r);
    }

    /** A result.json already read. */
    static TrialOutcome readResult(Path file, JsonNode r) {
        String where = file.toString();
        String id = requireText(r, TRIAL_ID, where);
        String statusText = requireText(r, STATUS, where);
        TrialStatus status = TrialStatus.parse(statusText);
        if (status == null) {
            throw new UserError(String.format(
                    "%s: unknown status '%s'; allowed: %s", where, statusText, TrialStatus.allowed()));
        }
        JsonNode metricsNode = r.path(METRICS);
        if (!metricsNode.isObject() && !metricsNode.isNull() && !metricsNode.isMissingNode()) {
            throw new UserError(where + ": 'metrics' must be an object or null, found " + kind(metricsNode));
        }
        List<Epoch> history = history(r.get(HISTORY), where);
        if (history.isEmpty()) {
            Path csv = file.resolveSibling(FileNames.METRICS);
            if (Files.isRegularFile(csv)) {
                history = readMetricsCsv(csv);
            }
        }
        String detail = null;
        if (status == TrialStatus.DIVERGED && r.hasNonNull(DIVERGED_EPOCH)) {
            detail = "diverged at epoch " + r.get(DIVERGED_EPOCH).asText();
        } else if (r.hasNonNull(ERROR)) {
            detail = r.get(ERROR).asText();
        }
        return new TrialOutcome(
                id,
                r.path(SWEEP).asText(null),
                status,
                seed(r, where),
                swept(r.get(SWEPT), where),
                r.get(CONFIG),
                metrics(metricsNode, where),
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
                double epoch = parse(row.get(EPOCH));
                if (Double.isNaN(epoch)) {
                    continue;
                }
                epochs.add(new Epoch(
                        (int) epoch,
                        parse(row.get(TRAIN_LOSS)),
                        parse(row.get(TRAIN_ACC)),
                        parse(row.get(VAL_LOSS)),
                        parse(row.get(VAL_ACC))));
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

    /** A CSV cell as a number; empty, malformed and non-finite cells are NaN (a missing value). */
    static double parse(String cell) {
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
            if (!e.path(EPOCH).isNumber()) {
                throw new UserError(where + ": every 'history' entry needs a numeric 'epoch', found " + e);
            }
            epochs.add(new Epoch(
                    e.get(EPOCH).asInt(),
                    number(e.get(TRAIN_LOSS)),
                    number(e.get(TRAIN_ACC)),
                    number(e.get(VAL_LOSS)),
                    number(e.get(VAL_ACC))));
        }
        return epochs;
    }

    private static Map<String, Double> metrics(JsonNode m, String where) {
        Map<String, Double> values = new LinkedHashMap<>();
        if (!m.isObject()) {
            return values;
        }
        for (Metric metric : java.util.stream.Stream.concat(Metric.STANDARD.stream(), Metric.EVAL_STATS.stream()).toList()) {
            double v = number(m.get(metric.name()));
            if (!Double.isNaN(v)) {
                values.put(metric.name(), v);
            }
        }
        JsonNode components = m.get(VAL_ACC_BY_COMPONENT);
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
        JsonNode s = node.get(SEED);
        if (s == null || s.isNull()) {
            return null;
        }
        if (!s.canConvertToInt()) {
            throw new UserError(where + ": 'seed' must be an integer, found " + s);
        }
        return s.asInt();
    }
}

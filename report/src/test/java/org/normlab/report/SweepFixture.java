package org.normlab.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a sweep's result folder in the format of RESULTS-FORMAT.md, with numbers the test
 * chooses, using Jackson directly (not the code under test).
 */
final class SweepFixture {

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final CsvMapper CSV = new CsvMapper();

    final Path dir;
    final String sweep;
    private final Map<String, Object> base;
    private final List<Map<String, Object>> plan = new ArrayList<>();
    private final Map<String, Object> sweepKeys = new LinkedHashMap<>();

    SweepFixture(Path dir, String sweep) {
        this.dir = dir;
        this.sweep = sweep;
        this.base = new LinkedHashMap<>();
        base.put("model", new LinkedHashMap<>(Map.of("name", "resnet", "depth", 20)));
        base.put("norm", new LinkedHashMap<>(Map.of("name", "bn")));
        base.put("data", new LinkedHashMap<>(Map.of("name", "fashion-mnist", "batch_size", 128)));
        base.put("train", new LinkedHashMap<>(Map.of("epochs", 5, "lr", 0.1)));
    }

    /** Sets a base (not swept) setting by dotted key. */
    SweepFixture base(String key, Object value) {
        put(base, key, value);
        return this;
    }

    /** A sweep-level key of sweep.yaml besides name, base, grid and seeds (e.g. report). */
    SweepFixture sweepKey(String key, Object value) {
        sweepKeys.put(key, value);
        return this;
    }

    static Map<String, Object> swept(Object... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    SweepFixture plan(String id, int seed, Map<String, Object> swept) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("trial_id", id);
        t.put("seed", seed);
        t.put("swept", swept);
        plan.add(t);
        return this;
    }

    /** Writes trials.json and sweep.yaml. */
    SweepFixture writePlan(Map<String, ?> grid, List<Integer> seeds) {
        try {
            Files.createDirectories(dir);
            JSON.writeValue(dir.resolve("trials.json").toFile(), plan);
            Map<String, Object> sweepYaml = new LinkedHashMap<>();
            sweepYaml.put("name", sweep);
            sweepYaml.put("base", base);
            sweepYaml.put("grid", grid);
            sweepYaml.put("seeds", seeds);
            sweepYaml.putAll(sweepKeys);
            YAML.writeValue(dir.resolve("sweep.yaml").toFile(), sweepYaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    static Map<String, Object> metrics(double finalVal, double best, double finalTrain, double loss, long params,
            double imgPerSec) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("final_val_acc", finalVal);
        m.put("best_val_acc", best);
        m.put("best_epoch", 4);
        m.put("final_train_acc", finalTrain);
        m.put("final_val_loss", loss);
        m.put("params", params);
        m.put("train_img_s", imgPerSec);
        m.put("wall_s", 100.0);
        m.put("epochs_completed", 5);
        return m;
    }

    /** A history of {@code epochs} epochs rising towards {@code finalVal}. */
    static List<Map<String, Object>> history(int epochs, double finalVal, double wobble) {
        List<Map<String, Object>> h = new ArrayList<>();
        for (int e = 1; e <= epochs; e++) {
            double progress = 1 - Math.exp(-0.8 * e);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("epoch", e);
            row.put("lr", 0.1);
            row.put("train_loss", 2.3 * Math.exp(-0.5 * e) + 1.5 * (1 - finalVal) + wobble * Math.sin(e * 1.7));
            row.put("train_acc", finalVal * progress + 0.02);
            row.put("val_loss", 2.0 * Math.exp(-0.4 * e) + 0.3);
            row.put("val_acc", finalVal * progress / (1 - Math.exp(-0.8 * epochs)) + wobble * Math.cos(e * 2.3) * (e < epochs ? 1 : 0));
            row.put("train_img_s", 600.0);
            row.put("epoch_s", 80.0);
            h.add(row);
        }
        return h;
    }

    /** Writes {@code <id>/result.json} and {@code <id>/metrics.csv}. */
    SweepFixture result(String id, int seed, Map<String, Object> swept, String status, Map<String, Object> metrics,
            List<Map<String, Object>> history) {
        return result(id, seed, swept, swept, status, metrics, history);
    }

    /** As {@link #result}, with the settings the trial's config gets (a named axis' label is not a setting). */
    SweepFixture result(String id, int seed, Map<String, Object> swept, Map<String, Object> settings, String status,
            Map<String, Object> metrics, List<Map<String, Object>> history) {
        Map<String, Object> config = deepCopy(base);
        settings.forEach((k, v) -> put(config, k, v));
        config.put("seed", seed);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("trial_id", id);
        r.put("sweep", sweep);
        r.put("status", status);
        r.put("seed", seed);
        r.put("swept", swept);
        r.put("config", config);
        r.put("metrics", metrics);
        r.put("history", history);
        r.put("diverged_epoch", "diverged".equals(status) ? 3 : null);
        r.put("error", "failed".equals(status) ? "out of memory" : null);
        r.put("device", "cpu");
        r.put("finished_at", "2026-11-28T01:02:03Z");
        try {
            Path t = dir.resolve(id);
            Files.createDirectories(t);
            JSON.writeValue(t.resolve("result.json").toFile(), r);
            if (history != null && !history.isEmpty()) {
                CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
                for (String c : List.of("epoch", "lr", "train_loss", "train_acc", "val_loss", "val_acc", "train_img_s", "epoch_s")) {
                    schema.addColumn(c);
                }
                CSV.writer(schema.build()).writeValue(t.resolve("metrics.csv").toFile(), history);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    @SuppressWarnings("unchecked")
    private static void put(Map<String, Object> root, String dotted, Object value) {
        String[] parts = dotted.split("\\.");
        Map<String, Object> m = root;
        for (int i = 0; i < parts.length - 1; i++) {
            m = (Map<String, Object>) m.computeIfAbsent(parts[i], k -> new LinkedHashMap<>());
        }
        m.put(parts[parts.length - 1], value);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> deepCopy(Map<String, Object> m) {
        Map<String, Object> copy = new LinkedHashMap<>();
        m.forEach((k, v) -> copy.put(k, v instanceof Map ? deepCopy((Map<String, Object>) v) : v));
        return copy;
    }
}

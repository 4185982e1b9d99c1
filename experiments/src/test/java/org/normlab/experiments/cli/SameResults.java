package org.normlab.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.normlab.results.RunDependent;

/**
 * Two results folders of the smoke sweep hold the same results: the same plan and settings, and
 * every result.json and metrics.csv equal but for what differs between two runs of one trial
 * ({@link RunDependent}), results.csv equal but for its timing columns.
 */
final class SameResults {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> TIMING_COLUMNS = List.of("train_img_s", "wall_s", "epoch_s");

    private SameResults() {}

    static void assertSameResults(Path expected, Path actual) throws IOException {
        assertEquals(Files.readString(expected.resolve("trials.json")), Files.readString(actual.resolve("trials.json")));
        assertEquals(Files.readString(expected.resolve("sweep.yaml")), Files.readString(actual.resolve("sweep.yaml")));
        Set<String> ids = trialIds(expected);
        assertEquals(4, ids.size());
        assertEquals(ids, trialIds(actual));
        for (String id : ids) {
            JsonNode e = RunDependent.stripResult(JSON.readTree(expected.resolve(id).resolve("result.json").toFile()));
            JsonNode a = RunDependent.stripResult(JSON.readTree(actual.resolve(id).resolve("result.json").toFile()));
            assertEquals("cpu()", a.path("device").asText());
            assertTrue(a.path("metrics").path("final_val_acc").isNumber(), a.toString());
            assertEquals(e, a, id + "/result.json");
            assertEquals(withoutTimingColumns(expected.resolve(id).resolve("metrics.csv")),
                    withoutTimingColumns(actual.resolve(id).resolve("metrics.csv")), id + "/metrics.csv");
        }
        List<List<String>> csv = withoutTimingColumns(actual.resolve("results.csv"));
        assertEquals(List.of("trial_id", "status", "seed", "norm.name", "final_val_acc", "best_val_acc", "final_train_acc",
                "final_val_loss", "params"), csv.get(0));
        assertEquals(withoutTimingColumns(expected.resolve("results.csv")), csv);
    }

    /** The trials of a results folder that have a result.json, sorted. */
    static Set<String> trialIds(Path sweepDir) throws IOException {
        try (Stream<Path> children = Files.list(sweepDir)) {
            return children.filter(d -> Files.isRegularFile(d.resolve("result.json")))
                    .map(d -> d.getFileName().toString())
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /** A CSV's cells, the timing columns left out (no cell of these files holds a comma). */
    private static List<List<String>> withoutTimingColumns(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        List<String> header = List.of(lines.get(0).split(",", -1));
        List<List<String>> rows = new ArrayList<>();
        for (String line : lines) {
            String[] cells = line.split(",", -1);
            List<String> kept = new ArrayList<>();
            for (int i = 0; i < cells.length; i++) {
                if (!TIMING_COLUMNS.contains(header.get(i))) {
                    kept.add(cells[i]);
                }
            }
            rows.add(kept);
        }
        return rows;
    }
}

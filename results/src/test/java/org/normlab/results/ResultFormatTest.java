package org.normlab.results;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bytes of result.json, metrics.csv and results.csv (RESULTS-FORMAT.md is the contract),
 * for a completed trial with every optional metric and a failed one without metrics: the
 * expected texts are written out here, so a change of a name, an order or a number format fails.
 */
class ResultFormatTest {

    @TempDir Path dir;

    static TrialResult completed() {
        Map<String, Object> swept = new LinkedHashMap<>();
        swept.put("norm.name", "bn");
        swept.put("data.batch_size", 8);
        Map<String, Double> components = new LinkedHashMap<>();
        components.put("fashion-mnist", 0.75);
        components.put("inverted", 0.5);
        TrialResult.Metrics metrics = new TrialResult.Metrics(0.625, 0.75, 2, 0.875, 1.25, 1234L, 600.5, 12.5, 2,
                components, 20L, 0.625, 0.6875, 0.5625);
        List<TrialResult.Epoch> history = List.of(
                new TrialResult.Epoch(1, 10L, 0.1, 2.5, 0.25, 2.25, 0.375, 590.0, 6.5, components),
                new TrialResult.Epoch(2, 20L, 0.05, 1.5, 0.875, 1.25, 0.625, 610.25, 6.0, components));
        Provenance provenance = new Provenance("0.1.0-SNAPSHOT", null,
                List.of(new Provenance.NormSource("body", "bn", "org.normlab.norm.bn.BnProvider", null, null, null)));
        return new TrialResult("3f9c0a12b7", "s", TrialStatus.COMPLETED, 1, swept,
                JsonNodeFactory.instance.objectNode().put("epochs", 2), metrics, history, null, null, "cpu", 812.5,
                "2026-11-28T01:02:03Z", provenance);
    }

    static TrialResult failed() {
        Map<String, Object> swept = new LinkedHashMap<>();
        swept.put("norm.name", "gn");
        swept.put("data.batch_size", 8);
        return new TrialResult("0a1b2c3d4e", "s", TrialStatus.FAILED, 2, swept, null, null, List.of(), null,
                "out of memory", "cpu", 100.0, "2026-11-28T01:02:04Z", null);
    }

    /** The file as the code wrote it before the result schema had one place (src/test/resources/result-format). */
    private static String expected(String name) throws Exception {
        try (var in = ResultFormatTest.class.getResourceAsStream("/result-format/" + name)) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void resultJsonMetricsCsvAndResultsCsvAreWrittenExactlySo() throws Exception {
        try (ResultStore store = ResultStore.open(dir)) {
            store.writeResult(completed());
            store.writeMetrics("3f9c0a12b7", completed().history());
            store.writeResult(failed());
            List<PlanRow> plan = List.of(new PlanRow("3f9c0a12b7", 1, completed().swept()),
                    new PlanRow("0a1b2c3d4e", 2, failed().swept()), new PlanRow("ffffffffff", 3, Map.of()));
            assertEquals(2, store.writeResultsCsv(List.of("norm.name", "data.batch_size"), plan));
        }
        List<String> files = List.of("3f9c0a12b7/result.json", "3f9c0a12b7/metrics.csv", "0a1b2c3d4e/result.json", "results.csv");
        for (String f : files) {
            assertEquals(expected(f.replace('/', '_')), Files.readString(dir.resolve(f)), f);
        }
        assertEquals(4, files.size());
        try (ResultStore store = ResultStore.reading(dir)) {
            assertEquals(completed(), store.read("3f9c0a12b7"), "read back as written");
            // config: null reads back as a JSON null node, which prints the same
            assertEquals(failed().toString(), store.read("0a1b2c3d4e").toString(), "read back as written");
        }
    }
}

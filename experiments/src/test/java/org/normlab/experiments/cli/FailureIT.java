package org.normlab.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Diverged and failed trials are recorded as such; the sweep goes on; the exit code tells. */
class FailureIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    @Test
    void aLossThatBlowsUpMarksTheTrialDivergedAndTheSweepGoesOn() throws Exception {
        Path sweep = dir.resolve("s.yaml");
        Files.writeString(sweep, BadInputIT.SWEEP.replace("epochs: 1", "epochs: 3")
                + "  optimizer.lr: [100000.0, 0.05]\n");
        Jar.Run run = Jar.run(dir, sweep.toString(), "--out", "runs");
        assertEquals(3, run.exit(), run.all());
        Map<String, JsonNode> byLr = results(dir.resolve("runs/bad"), "optimizer.lr");
        JsonNode diverged = byLr.get("100000.0");
        assertEquals("diverged", diverged.path("status").asText(), diverged.toString());
        assertTrue(diverged.path("diverged_epoch").asInt() >= 1, diverged.toString());
        assertEquals(diverged.path("diverged_epoch").asInt() - 1, diverged.path("history").size());
        assertEquals("completed", byLr.get("0.05").path("status").asText());
        assertTrue(run.out().contains("1 of 2 trials did not complete"), run.out());
        String csv = Files.readString(dir.resolve("runs/bad/results.csv"));
        assertTrue(csv.contains(",diverged,") && csv.contains(",completed,"), csv);
        assertTrue(Files.readString(dir.resolve("runs/bad/report/report.md")).contains("diverged"));
    }

    @Test
    void aPluginThatThrowsDuringTrainingFailsItsTrialOnly() throws Exception {
        Path plugins = dir.resolve("plugins");
        PluginJars.build(plugins.resolve("flaky.jar"), "org.example.Flaky", PluginJars.provider("Flaky", "flaky",
                "return LambdaBlock.singleton(x -> { if (x.getShape().get(0) > 8) throw new IllegalStateException("
                        + "\"flaky layer broke on a batch of \" + x.getShape().get(0)); return x; });"));
        Path sweep = dir.resolve("s.yaml");
        Files.writeString(sweep, BadInputIT.SWEEP.replace("[bn]", "[flaky, bn]"));
        Jar.Run run = Jar.run(dir, sweep.toString(), "--out", "runs");
        assertEquals(3, run.exit(), run.all());
        Map<String, JsonNode> byNorm = results(dir.resolve("runs/bad"), "norm.name");
        assertEquals("failed", byNorm.get("flaky").path("status").asText());
        assertTrue(byNorm.get("flaky").path("error").asText().contains("flaky layer broke on a batch of 16"),
                byNorm.get("flaky").toString());
        assertEquals("completed", byNorm.get("bn").path("status").asText());
        assertTrue(run.out().contains("failed: ") && run.out().contains("flaky layer broke"), run.out());
    }

    private static Map<String, JsonNode> results(Path sweepDir, String key) throws Exception {
        Map<String, JsonNode> byKey = new TreeMap<>();
        try (Stream<Path> files = Files.walk(sweepDir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().equals("result.json")).toList()) {
                JsonNode r = JSON.readTree(f.toFile());
                byKey.put(r.path("swept").path(key).asText(), r);
            }
        }
        return byKey;
    }
}

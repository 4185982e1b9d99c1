package org.normlab.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** Real sweeps through the fat jar: training, results, resume, determinism and the regression baseline. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SweepIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir static Path work;
    static Jar.Run first;

    @BeforeAll
    static void runTheSmokeSweep() throws Exception {
        first = Jar.run(work, Jar.sweep("smoke.yaml"), "--out", "runs");
    }

    private static Path sweepDir() {
        return work.resolve("runs/smoke");
    }

    @Test
    @Order(1)
    void smokeSweepCompletesAndLearnsFarAboveChance() throws Exception {
        assertEquals(0, first.exit(), first.all());
        List<String> rows = Files.readAllLines(sweepDir().resolve("results.csv"));
        assertEquals("trial_id,status,seed,norm.name,final_val_acc,best_val_acc,final_train_acc,final_val_loss,"
                + "params,train_img_s,wall_s", rows.get(0));
        assertEquals(5, rows.size(), String.join("\n", rows));
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",");
            assertEquals("completed", f[1], row);
            // 6 classes: chance is 0.17
            assertTrue(Double.parseDouble(f[4]) > 0.6, "val accuracy far above chance: " + row);
        }
        for (String file : List.of("report/report.md", "report/report.html", "report/summary.csv", "sweep.yaml", "trials.json")) {
            assertTrue(Files.isRegularFile(sweepDir().resolve(file)), file);
        }
        JsonNode result = anyResult();
        assertEquals(3, result.path("history").size());
        assertTrue(Files.isRegularFile(sweepDir().resolve(result.path("trial_id").asText()).resolve("metrics.csv")));
        assertTrue(first.out().contains("trial 1/4") && first.out().contains("norm=bn"), first.out());
    }

    @Test
    @Order(2)
    void rerunSkipsFinishedTrialsAndChangesNothing() throws Exception {
        byte[] before = Files.readAllBytes(sweepDir().resolve("results.csv"));
        Jar.Run again = Jar.run(work, Jar.sweep("smoke.yaml"), "--out", "runs");
        assertEquals(0, again.exit(), again.all());
        assertEquals(4, again.out().lines().filter(l -> l.contains("already completed, skipped")).count(), again.out());
        assertEquals(new String(before), Files.readString(sweepDir().resolve("results.csv")));
    }

    @Test
    @Order(3)
    void aDeletedResultIsRerunWithIdenticalMetrics() throws Exception {
        JsonNode before = anyResult();
        String id = before.path("trial_id").asText();
        Files.delete(sweepDir().resolve(id).resolve("result.json"));
        Jar.Run again = Jar.run(work, Jar.sweep("smoke.yaml"), "--out", "runs");
        assertEquals(0, again.exit(), again.all());
        assertEquals(3, again.out().lines().filter(l -> l.contains("skipped")).count(), again.out());
        JsonNode after = JSON.readTree(sweepDir().resolve(id).resolve("result.json").toFile());
        // Same seed on CPU: the same numbers, to the last bit.
        for (String metric : List.of("final_val_acc", "final_train_acc", "final_val_loss", "params")) {
            assertEquals(before.path("metrics").path(metric), after.path("metrics").path(metric), metric);
        }
        for (int e = 0; e < 3; e++) {
            assertEquals(before.path("history").get(e).path("train_loss"), after.path("history").get(e).path("train_loss"));
        }
    }

    @Test
    @Order(4)
    void theCheckedInBaselineHolds() throws Exception {
        Path baseline = Jar.PROJECT.resolve("sweeps/baselines/smoke.json");
        Jar.Run run = Jar.run(work, "report", sweepDir().toString(), "--baseline", baseline.toString());
        assertEquals(0, run.exit(), run.all());
    }

    @Test
    @Order(5)
    void aPerturbedBaselineFails() throws Exception {
        ObjectNode baseline = (ObjectNode) JSON.readTree(Jar.PROJECT.resolve("sweeps/baselines/smoke.json").toFile());
        ObjectNode acc = (ObjectNode) baseline.path("groups").get(0).path("metrics").path("final_val_acc");
        acc.put("mean", acc.path("mean").asDouble() + 0.1);
        Path perturbed = work.resolve("perturbed.json");
        JSON.writeValue(perturbed.toFile(), baseline);
        Jar.Run run = Jar.run(work, "report", sweepDir().toString(), "--baseline", perturbed.toString());
        assertEquals(1, run.exit(), run.all());
        assertTrue(run.all().contains("final_val_acc"), run.all());
    }

    @Test
    @Order(6)
    void dryRunListsTrialsWithAnEstimate() throws Exception {
        Jar.Run run = Jar.run(work, Jar.sweep("smoke.yaml"), "--dry-run", "--set", "seeds=[1,2,3]");
        assertEquals(0, run.exit(), run.all());
        assertTrue(run.out().startsWith("sweep smoke: 6 trials (2 grid points x 3 seeds)"), run.out());
        assertTrue(run.out().contains("estimated time: ~"), run.out());
    }

    @Test
    void fashionMnistTrainsFromTheDebianPackage() throws Exception {
        assumeTrue(Files.isRegularFile(Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")),
                "Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist): skipped");
        Path dir = Files.createTempDirectory(work, "fashion");
        Jar.Run run = Jar.run(dir, Jar.sweep("fashion-quick.yaml"), "--out", "runs", "--set", "seeds=[1]",
                "--set", "grid.norm.name=[bn]", "--set", "epochs=1", "--set", "data.train_subset=2000",
                "--set", "data.batch_size=32",
                "--set", "data.val_subset=1000", "--set", "model.depth=8");
        assertEquals(0, run.exit(), run.all());
        Path results = dir.resolve("runs/fashion-quick/results.csv");
        String[] row = Files.readAllLines(results).get(1).split(",");
        assertEquals("completed", row[1]);
        assertTrue(Double.parseDouble(row[4]) > 0.5, "10 classes, chance 0.1: " + String.join(",", row));
    }

    private static JsonNode anyResult() throws Exception {
        try (Stream<Path> files = Files.walk(sweepDir())) {
            Path file = files.filter(p -> p.getFileName().toString().equals("result.json")).sorted().findFirst().orElse(null);
            assertNotNull(file, "no result.json");
            return JSON.readTree(file.toFile());
        }
    }
}

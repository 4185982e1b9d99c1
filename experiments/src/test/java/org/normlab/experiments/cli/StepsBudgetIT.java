package org.normlab.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.normlab.results.RunDependent;

/**
 * {@code steps: S}: every trial does exactly S optimizer steps whatever its batch size, the data
 * cycling through epochs; it evaluates every {@code eval.every_steps} steps and at the end; the
 * cosine schedule anneals over the steps; result.json has {@code steps_completed} and every
 * history row its step (metrics.csv a step column); a stop during an evaluation resumes exactly.
 */
class StepsBudgetIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double LR = 0.05;
    /** 96 training images: 12 batches of 8 per epoch, or 1 (or 2) of 64. */
    private static final String SWEEP = """
            name: steps
            seeds: [1]
            steps: 30
            eval: {every_steps: 10}
            device: cpu
            checkpoints: false
            data:
              name: synthetic
              batch_size: 8
              val_batch_size: 16
              synthetic: {classes: 4, channels: 1, size: 12, train: 96, val: 64, noise: 2.5}
            model: {name: cifar_resnet, depth: 8}
            optimizer: {lr: 0.05, momentum: 0.9, weight_decay: 0.0005}
            schedule: {name: cosine}
            grid:
              data.batch_size: [8, 64]
            """;

    @TempDir Path work;

    @Test
    void everyTrialDoesExactlyTheStepsWhateverItsBatchSize() throws Exception {
        Path sweep = work.resolve("steps.yaml");
        Files.writeString(sweep, SWEEP);
        Path dir = Files.createDirectories(work.resolve("plain"));
        Jar.Run run = Jar.run(dir, sweep.toString(), "--out", "runs", "--threads", "1");
        assertEquals(0, run.exit(), run.all());
        List<JsonNode> results = results(dir);
        assertEquals(2, results.size());
        for (JsonNode r : results) {
            int batch = r.path("config").path("data").path("batch_size").asInt();
            JsonNode m = r.path("metrics");
            assertEquals(30, m.path("steps_completed").asLong(), r.toString());
            List<Long> steps = new ArrayList<>();
            r.path("history").forEach(e -> steps.add(e.path("step").asLong()));
            assertEquals(List.of(10L, 20L, 30L), steps, "an evaluation every 10 steps and at the end");
            // epochs in progress at steps 10, 20, 30: 12 batches of 8 per epoch; one of 64 (the last partial dropped) or two
            List<Integer> epochs = new ArrayList<>();
            r.path("history").forEach(e -> epochs.add(e.path("epoch").asInt()));
            if (batch == 8) {
                assertEquals(List.of(1, 2, 3), epochs);
                assertEquals(2, m.path("epochs_completed").asInt());
            } else {
                assertTrue(epochs.equals(List.of(10, 20, 30)) || epochs.equals(List.of(5, 10, 15)), epochs.toString());
            }
            // cosine over the 30 steps: the last step (29) used lr * (1 + cos(pi * 29 / 30)) / 2
            double expected = LR * 0.5 * (1 + Math.cos(Math.PI * 29 / 30));
            assertEquals(expected, r.path("history").get(2).path("lr").asDouble(), 1e-7);
            Path csv = dir.resolve("runs/steps").resolve(r.path("trial_id").asText()).resolve("metrics.csv");
            List<String> lines = Files.readAllLines(csv);
            assertTrue(lines.get(0).startsWith("epoch,step,lr,"), lines.get(0));
            assertEquals(4, lines.size());
            assertTrue(lines.get(3).split(",")[1].equals("30"), lines.get(3));
        }

        // stopped during the second evaluation (4 batches of 16) of the first trial: the rerun evaluates again and equals the run above
        Path stopped = Files.createDirectories(work.resolve("stopped"));
        Jar.Run first = Jar.run(stopped, List.of("-Dnormlab.signal=TERM:eval:forward@6"), sweep.toString(), "--out", "runs",
                "--threads", "1");
        assertEquals(143, first.exit(), first.all());
        assertTrue(first.lastLine().contains("at epoch 2, batch 8, step 20"), first.lastLine());
        Jar.Run rest = Jar.run(stopped, sweep.toString(), "--out", "runs", "--threads", "1");
        assertEquals(0, rest.exit(), rest.all());
        List<JsonNode> resumed = results(stopped);
        for (int i = 0; i < results.size(); i++) {
            assertEquals(RunDependent.stripResult(results.get(i)), RunDependent.stripResult(resumed.get(i)));
        }
    }

    @Test
    void epochsAndStepsTogetherAreRefused() throws Exception {
        Path sweep = work.resolve("both.yaml");
        Files.writeString(sweep, SWEEP.replace("steps: 30", "steps: 30\nepochs: 3"));
        Jar.Run run = Jar.run(work, sweep.toString(), "--out", "runs", "--dry-run");
        assertEquals(2, run.exit(), run.all());
        assertTrue(run.err().contains("both.yaml:3:") && run.err().contains("set either epochs or steps, not both"), run.err());
    }

    @Test
    void anEpochBudgetRecordsTheStepOfEveryEpoch() throws Exception {
        Jar.Run run = Jar.run(work, Jar.sweep("smoke.yaml"), "--out", "runs", "--threads", "1", "--set", "grid.norm.name=[bn]",
                "--set", "seeds=[1]");
        assertEquals(0, run.exit(), run.all());
        JsonNode r = results(work).get(0);
        List<Long> steps = new ArrayList<>();
        r.path("history").forEach(e -> steps.add(e.path("step").asLong()));
        assertEquals(List.of(16L, 32L, 48L), steps, "512 images in batches of 32: 16 steps per epoch");
        assertEquals(48, r.path("metrics").path("steps_completed").asLong());
    }

    private static List<JsonNode> results(Path dir) throws Exception {
        List<JsonNode> all = new ArrayList<>();
        Path runs = dir.resolve("runs");
        try (Stream<Path> files = Files.walk(runs)) {
            for (Path f : files.filter(f -> f.getFileName().toString().equals("result.json")).sorted().toList()) {
                all.add(JSON.readTree(f.toFile()));
            }
        }
        return all;
    }
}

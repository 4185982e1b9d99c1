package org.normlab.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing is lost when a sweep dies: the process is killed (kill -9, or halted at a named point
 * by -Dnormlab.crash, which is the same to the file system) during an epoch, while
 * checkpointing, while writing a result and while writing results.csv; each rerun of the same
 * command picks up, and the end result equals an uninterrupted run.
 */
class CrashIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] SWEEP = {Jar.sweep("smoke.yaml"), "--out", "runs", "--set", "checkpoints=true"};

    @TempDir Path work;

    @Test
    void killedSweepsResumeToTheSameResultsAsAnUninterruptedRun() throws Exception {
        Path reference = work.resolve("reference");
        Files.createDirectories(reference);
        assertEquals(0, Jar.run(reference, SWEEP).exit());
        Map<String, JsonNode> expected = results(reference);

        Path crashed = work.resolve("crashed");
        Files.createDirectories(crashed);
        // 1. while writing the second trial's result.json: the first trial is safe, the second is not recorded
        Jar.Run run = Jar.run(crashed, List.of("-Dnormlab.crash=write:result.json@2"), SWEEP);
        assertEquals(137, run.exit(), run.all());
        assertEquals(1, results(crashed).size());
        assertNoTornFiles(crashed);
        // 2. while checkpointing (second epoch of the third trial): the second, halted above after its
        //    last epoch's resume checkpoint, is finished from it without training again
        run = Jar.run(crashed, List.of("-Dnormlab.crash=write:final.params@2"), SWEEP);
        assertEquals(137, run.exit(), run.all());
        assertTrue(run.out().contains("already completed, skipped"), run.out());
        assertTrue(run.out().contains("/checkpoints/resume.ckpt (after epoch 3)"), run.out());
        assertEquals(2, results(crashed).size());
        assertNoTornFiles(crashed);
        // 3. a real kill -9 in the middle of an epoch
        killDuringAnEpoch(crashed);
        assertNoTornFiles(crashed);
        // 4. while rewriting results.csv after a finished trial
        run = Jar.run(crashed, List.of("-Dnormlab.crash=write:results.csv@1"), SWEEP);
        assertEquals(137, run.exit(), run.all());
        assertNoTornFiles(crashed);
        // 5. the same command once more, uninterrupted
        run = Jar.run(crashed, SWEEP);
        assertEquals(0, run.exit(), run.all());
        assertNoTornFiles(crashed);

        Map<String, JsonNode> actual = results(crashed);
        assertEquals(expected.keySet(), actual.keySet());
        for (String id : expected.keySet()) {
            for (String metric : List.of("final_val_acc", "best_val_acc", "final_train_acc", "final_val_loss", "params")) {
                assertEquals(expected.get(id).path("metrics").path(metric), actual.get(id).path("metrics").path(metric),
                        id + " " + metric);
            }
            assertEquals(expected.get(id).path("status"), actual.get(id).path("status"));
        }
        assertEquals(withoutTiming(reference), withoutTiming(crashed));
    }

    @Test
    void aSecondProcessOnTheSameFolderRefusesAtOnce() throws Exception {
        Path out = work.resolve("out.txt");
        Path err = work.resolve("err.txt");
        Process first = Jar.start(work, List.of(), out, err,
                Jar.sweep("smoke.yaml"), "--out", "runs", "--set", "epochs=200");
        try {
            Jar.awaitOutput(out, "trial 1/4", first);
            long start = System.nanoTime();
            Jar.Run second = Jar.run(work, Jar.sweep("smoke.yaml"), "--out", "runs", "--set", "epochs=200");
            assertEquals(2, second.exit(), second.all());
            assertTrue(second.err().contains("another NormLab process is running a sweep in runs/smoke"), second.err());
            assertTrue((System.nanoTime() - start) / 1e9 < 30, "refuses at once");
        } finally {
            Jar.kill(first);
        }
        // The dead holder leaves no stale lock behind.
        Jar.Run after = Jar.run(work, Jar.sweep("smoke.yaml"), "--out", "runs", "--dry-run");
        assertEquals(0, after.exit(), after.all());
    }

    private void killDuringAnEpoch(Path dir) throws Exception {
        Path out = dir.resolve("kill-out.txt");
        Path err = dir.resolve("kill-err.txt");
        Process p = Jar.start(dir, List.of(), out, err, SWEEP);
        try {
            Jar.awaitOutput(out, "  epoch 1 ", p);
            Thread.sleep(200);
        } finally {
            Jar.kill(p); // SIGKILL
        }
        Files.delete(out);
        Files.delete(err);
    }

    private static Map<String, JsonNode> results(Path dir) throws IOException {
        Map<String, JsonNode> byId = new TreeMap<>();
        Path sweep = dir.resolve("runs/smoke");
        if (!Files.isDirectory(sweep)) {
            return byId;
        }
        try (Stream<Path> files = Files.walk(sweep)) {
            for (Path f : files.filter(f -> f.getFileName().toString().equals("result.json")).toList()) {
                JsonNode r = JSON.readTree(f.toFile());
                assertFalse(byId.containsKey(r.path("trial_id").asText()), "a trial appears once");
                byId.put(r.path("trial_id").asText(), r);
            }
        }
        return byId;
    }

    /** Every file the sweep wrote parses; temporary files of interrupted writes are not results. */
    private static void assertNoTornFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir.resolve("runs"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String name = f.getFileName().toString();
                if (name.endsWith(".tmp")) {
                    continue; // left by the kill; the next run removes them, reports never read them
                }
                if (name.endsWith(".json")) {
                    JSON.readTree(f.toFile());
                } else if (name.endsWith(".csv")) {
                    List<String> lines = Files.readAllLines(f);
                    int columns = lines.get(0).split(",", -1).length;
                    for (String line : lines) {
                        assertEquals(columns, line.split(",", -1).length, f + ": " + line);
                    }
                } else if (name.equals("final.params") || name.equals("best.params")) {
                    assertTrue(Files.size(f) > 1000, f.toString());
                }
            }
        }
    }

    /** results.csv without the timing columns (train_img_s, wall_s). */
    private static List<String> withoutTiming(Path dir) throws IOException {
        List<String> rows = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("runs/smoke/results.csv"))) {
            String[] f = line.split(",", -1);
            rows.add(String.join(",", java.util.Arrays.copyOf(f, f.length - 2)));
        }
        return rows;
    }
}

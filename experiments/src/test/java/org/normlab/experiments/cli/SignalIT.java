package org.normlab.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.normlab.engine.ResumeCheckpoint;
import org.normlab.results.RunDependent;

/**
 * SIGTERM and SIGINT at any moment of a sweep (data loading, forward, backward, the optimizer
 * step, evaluation, checkpoint writing; at named points and at random times) stop it cleanly:
 * exit 143 or 130 within 10 s with one line saying what was saved and how to resume, no JVM
 * crash, no hs_err file, every file whole; rerunning the same command until it completes gives
 * results equal, bit for bit, to an uninterrupted run's. A {@code --parallel} parent passes the
 * signal to its workers and waits for them.
 */
class SignalIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LAST_LINE = Pattern.compile(
            "stopped by SIG(TERM|INT): .+(; run the same command again to resume|every trial had finished, nothing to resume)");
    /** Two trials (one with the gaussian attack, whose noise stream must resume too), 12 short epochs. */
    private static final String SWEEP = """
            name: sig
            seeds: [1]
            epochs: 12              # room for every named moment whatever the (asynchronous) stops before it consumed
            device: cpu
            checkpoints: false
            data:
              name: synthetic
              batch_size: 32
              synthetic: {classes: 4, channels: 1, size: 12, train: 384, val: 192, noise: 2.5}
            model: {name: cifar_resnet, depth: 8}
            optimizer: {lr: 0.05, momentum: 0.9, weight_decay: 0.0005}
            schedule: {name: cosine}
            grid:
              attack.name: [none, gaussian]
            """;

    @TempDir static Path work;
    private static Path sweepFile;
    private static Map<String, JsonNode> reference;

    @BeforeAll
    static void uninterruptedReference() throws Exception {
        sweepFile = work.resolve("sig.yaml");
        Files.writeString(sweepFile, SWEEP);
        Path dir = Files.createDirectories(work.resolve("reference"));
        Jar.Run run = Jar.run(dir, args());
        assertEquals(0, run.exit(), run.all());
        reference = results(dir);
        assertEquals(2, reference.size());
    }

    private static String[] args(String... more) {
        List<String> all = new java.util.ArrayList<>(List.of(sweepFile.toString(), "--out", "runs", "--threads", "1"));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @Test
    void aSignalAtEachNamedMomentStopsCleanlyAndResumesExactly() throws Exception {
        Path dir = Files.createDirectories(work.resolve("named"));
        List<String> moments = List.of("TERM:train:batch@3", "TERM:train:forward@10", "TERM:train:backward@9",
                "TERM:train:optimizer@14", "TERM:eval:forward@2", "TERM:write:resume.ckpt@2", "INT:train:backward@12",
                "INT:eval:forward@5");
        for (String moment : moments) {
            Jar.Run run = Jar.run(dir, List.of("-Dnormlab.signal=" + moment), args());
            assertStoppedCleanly(dir, run, moment.startsWith("INT") ? 130 : 143, moment);
        }
        assertResumesToTheReference(dir);
    }

    @Test
    void sigtermAtRandomTimesStopsWithinTenSecondsAndResumesExactly() throws Exception {
        Path dir = Files.createDirectories(work.resolve("random"));
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int i = 0; i < 6; i++) {
            int delayMs = random.nextInt(900);
            String what = "SIGTERM " + delayMs + " ms after the first trial line (seed " + seed + ")";
            Path out = dir.resolve("out.txt");
            Path err = dir.resolve("err.txt");
            Process p = Jar.start(dir, List.of(), out, err, args());
            Jar.awaitOutput(out, "trial ", p);
            Thread.sleep(delayMs);
            long signalled = System.nanoTime();
            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(10, TimeUnit.SECONDS), what + ": still running 10 s after SIGTERM");
            double seconds = (System.nanoTime() - signalled) / 1e9;
            Jar.Run run = Jar.finished(p, out, err);
            assertStoppedCleanly(dir, run, 143, what + " (stopped in " + seconds + " s)");
        }
        assertResumesToTheReference(dir);
    }

    @Test
    void aParallelParentPassesSigtermToItsWorkersAndWaitsForThem() throws Exception {
        Path dir = Files.createDirectories(work.resolve("parallel"));
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process p = Jar.start(dir, List.of(), out, err, args("--parallel", "2"));
        Jar.awaitOutput(out, "[w1] trial ", p);
        Jar.awaitOutput(out, "[w2] trial ", p);
        Thread.sleep(300);
        List<ProcessHandle> workers = p.toHandle().children().toList();
        assertEquals(2, workers.size(), "two workers run");
        p.destroy(); // SIGTERM to the parent only
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "the parent waits for its workers, and they stop");
        Jar.Run run = Jar.finished(p, out, err);
        assertStoppedCleanly(dir, run, 143, "--parallel 2");
        for (String worker : List.of("[w1] ", "[w2] ")) {
            assertTrue(run.out().lines().anyMatch(l -> l.startsWith(worker + "stopped by SIGTERM: ")), worker + run.out());
        }
        assertTrue(run.lastLine().contains("the workers saved their trials"), run.lastLine());
        workers.forEach(w -> assertFalse(w.isAlive(), "the parent waited for worker " + w.pid()));
        Jar.Run rest = Jar.run(dir, args("--parallel", "2"));
        assertEquals(0, rest.exit(), rest.all());
        assertTrue(rest.out().contains("resuming from"), rest.out());
        assertSameAsReference(dir);
    }

    private static void assertStoppedCleanly(Path dir, Jar.Run run, int exit, String what) throws IOException {
        assertEquals(exit, run.exit(), what + ": " + run.all());
        assertTrue(LAST_LINE.matcher(run.lastLine()).matches(), what + ": last line " + run.lastLine());
        assertEquals(1, run.out().lines().filter(l -> LAST_LINE.matcher(l).matches()).count(), what + ": one line");
        assertFalse(run.all().contains("SIGSEGV") || run.all().contains("fatal error"), what + ": " + run.all());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.filter(f -> f.getFileName().toString().startsWith("hs_err")).toList(), what);
        }
        assertFilesWhole(dir, what);
    }

    /** Every file parses: JSON, CSV rows as wide as their header, resume checkpoints; .tmp files are not results. */
    private static void assertFilesWhole(Path dir, String what) throws IOException {
        if (!Files.isDirectory(dir.resolve("runs"))) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir.resolve("runs"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String name = f.getFileName().toString();
                if (name.endsWith(".json")) {
                    JSON.readTree(f.toFile());
                } else if (name.endsWith(".csv")) {
                    List<String> lines = Files.readAllLines(f);
                    int columns = lines.get(0).split(",", -1).length;
                    lines.forEach(l -> assertEquals(columns, l.split(",", -1).length, what + " " + f + ": " + l));
                } else if (name.equals(ResumeCheckpoint.FILE)) {
                    ResumeCheckpoint.read(f);
                }
            }
        }
    }

    /** Reruns the same command until the sweep completes; the results equal the uninterrupted run's. */
    private static void assertResumesToTheReference(Path dir) throws Exception {
        Jar.Run rest = Jar.run(dir, args());
        assertEquals(0, rest.exit(), rest.all());
        assertSameAsReference(dir);
    }

    private static void assertSameAsReference(Path dir) throws IOException {
        Map<String, JsonNode> actual = results(dir);
        assertEquals(reference.keySet(), actual.keySet());
        for (String id : reference.keySet()) {
            assertEquals(RunDependent.stripResult(reference.get(id)), RunDependent.stripResult(actual.get(id)), id);
            assertEquals("completed", actual.get(id).path("status").asText());
            assertFalse(Files.exists(dir.resolve("runs/sig").resolve(id).resolve("checkpoints").resolve(ResumeCheckpoint.FILE)),
                    "a finished trial keeps no resume state");
        }
    }

    private static Map<String, JsonNode> results(Path dir) throws IOException {
        Map<String, JsonNode> byId = new TreeMap<>();
        try (Stream<Path> trials = Files.list(dir.resolve("runs/sig"))) {
            for (Path t : trials.filter(t -> Files.isRegularFile(t.resolve("result.json"))).toList()) {
                byId.put(t.getFileName().toString(), JSON.readTree(t.resolve("result.json").toFile()));
            }
        }
        return byId;
    }
}

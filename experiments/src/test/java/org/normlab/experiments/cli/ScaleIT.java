package org.normlab.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Running at scale through the fat jar: --parallel 2 and two shards merged (launched from the
 * generated Kubernetes manifest and from the generated Slurm script) each give exactly the
 * results of one serial run of the smoke sweep. All runs use one CPU thread per trial: PyTorch's
 * CPU sums depend on the thread count, so equal results need equal --threads.
 */
class ScaleIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One epoch keeps the runs short; every way of running must pass the --set on. */
    private static final String ONE_EPOCH = "epochs=1";

    @TempDir static Path work;
    static Jar.Run serial;

    @BeforeAll
    static void runTheSmokeSweepSerially() throws Exception {
        serial = Jar.run(work, "run", Jar.sweep("smoke.yaml"), "--out", "serial", "--threads", "1", "--set", ONE_EPOCH);
    }

    private static Path serialDir() {
        return work.resolve("serial/smoke");
    }

    @Test
    void parallelTwoGivesTheSerialResults() throws Exception {
        assertEquals(0, serial.exit(), serial.all());
        Jar.Run run = Jar.run(work, Jar.sweep("smoke.yaml"), "--out", "parallel", "--parallel", "2", "--threads", "1",
                "--set", ONE_EPOCH);
        assertEquals(0, run.exit(), run.all());
        assertTrue(run.out().contains("running 4 trial(s) in 2 worker processes, 1 CPU thread(s) each"), run.out());
        assertTrue(run.out().contains("[w1] trial 1/2 ") && run.out().contains("[w2] trial 2/2 "), run.out());
        assertSameResults(serialDir(), work.resolve("parallel/smoke"));

        Jar.Run again = Jar.run(work, Jar.sweep("smoke.yaml"), "--out", "parallel", "--parallel", "2", "--threads", "1",
                "--set", ONE_EPOCH);
        assertEquals(0, again.exit(), again.all());
        assertEquals(4, again.out().lines().filter(l -> l.contains("already completed, skipped")).count(), again.out());
        assertFalse(again.out().contains("worker processes"), "nothing left to run: no workers");
    }

    @Test
    void shardsLaunchedFromTheKubernetesManifestMergeToTheSerialResults() throws Exception {
        assertEquals(0, serial.exit(), serial.all());
        Path out = work.resolve("k8s");
        Path manifest = work.resolve("job.yaml");
        Jar.Run gen = Jar.run(work, "k8s-job", Jar.sweep("smoke.yaml"), "--shards", "2", "--image", "normlab:test",
                "--pvc", "results", "--out", out.toString(), "--sweep-dir", Jar.PROJECT.resolve("sweeps").toString(),
                "--cpus", "1", "--set", ONE_EPOCH, "--file", manifest.toString());
        assertEquals(0, gen.exit(), gen.all());
        List<JsonNode> docs = new ArrayList<>();
        new YAMLMapper().readerFor(JsonNode.class).readValues(manifest.toFile()).forEachRemaining(d -> docs.add((JsonNode) d));
        JsonNode job = docs.stream().filter(d -> d.path("kind").asText().equals("Job")).findFirst().orElseThrow();
        assertEquals("Indexed", job.path("spec").path("completionMode").asText());
        assertEquals(2, job.path("spec").path("completions").asInt());
        JsonNode container = job.path("spec").path("template").path("spec").path("containers").get(0);
        assertEquals("JOB_COMPLETION_INDEX", container.path("env").get(0).path("name").asText());

        // Each pod, as Kubernetes starts it: its completion index put into the arguments.
        Set<String> seen = new HashSet<>();
        for (int index = 0; index < 2; index++) {
            List<String> args = new ArrayList<>();
            for (JsonNode a : container.path("args")) {
                args.add(a.asText().replace("$(JOB_COMPLETION_INDEX)", String.valueOf(index)));
            }
            Jar.Run pod = Jar.run(work, args.toArray(String[]::new));
            assertEquals(0, pod.exit(), pod.all());
            assertTrue(pod.out().contains("shard " + index + "/2 runs 2 of the sweep's 4 trials"), pod.out());
            Set<String> trials = trialIds(out.resolve("smoke/shard-" + index + "-of-2"));
            assertEquals(2, trials.size(), trials.toString());
            for (String t : trials) {
                assertTrue(seen.add(t), t + " ran in two shards");
            }
        }
        assertEquals(trialIds(serialDir()), seen, "the shards together ran every trial");

        Jar.Run merge = Jar.run(work, "merge", out.resolve("smoke").toString());
        assertEquals(0, merge.exit(), merge.all());
        assertTrue(merge.out().contains("merged 2 folder(s) into " + out.resolve("smoke") + ": 4 of 4 planned trials have a "
                + "result (4 completed)"), merge.out());
        assertSameResults(serialDir(), out.resolve("smoke"));
        assertTrue(Files.isRegularFile(out.resolve("smoke/report/report.md")));
    }

    @Test
    void shardsLaunchedFromTheSlurmScriptMergeToTheSerialResults() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "bash is not installed");
        assertEquals(0, serial.exit(), serial.all());
        Path script = work.resolve("job.sbatch");
        Jar.Run gen = Jar.run(work, "slurm", Jar.sweep("smoke.yaml"), "--shards", "2", "--out", "slurm",
                "--cpus-per-task", "1", "--partition", "cpu", "--set", ONE_EPOCH, "--file", script.toString());
        assertEquals(0, gen.exit(), gen.all());
        String text = Files.readString(script);
        assertTrue(text.contains("#SBATCH --array=0-1\n") && text.contains("--shard \"${SLURM_ARRAY_TASK_ID}/2\""), text);
        assertEquals(0, bash(Map.of(), "-n", script.toString()).exit(), "valid bash");

        // Each array task, as Slurm starts it: SLURM_ARRAY_TASK_ID set, the script run by bash.
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (int task = 0; task < 2; task++) {
            Jar.Run r = bash(Map.of("SLURM_ARRAY_TASK_ID", String.valueOf(task), "JAVA", java), script.toString());
            assertEquals(0, r.exit(), r.all());
            assertTrue(r.out().contains("shard " + task + "/2 runs 2 of the sweep's 4 trials"), r.out());
        }
        Path merged = work.resolve("slurm-merged");
        Jar.Run merge = Jar.run(work, "merge", "slurm/smoke/shard-1-of-2", "slurm/smoke/shard-0-of-2", "--out", merged.toString());
        assertEquals(0, merge.exit(), merge.all());
        assertSameResults(serialDir(), merged);
    }

    @Test
    void shardsThatDisagreeAreAConflictAndNothingIsMerged() throws Exception {
        assertEquals(0, serial.exit(), serial.all());
        Path a = copy(serialDir(), work.resolve("conflict/a/smoke"));
        Path b = copy(serialDir(), work.resolve("conflict/b/smoke"));
        String id = trialIds(b).iterator().next();
        ObjectNode result = (ObjectNode) JSON.readTree(b.resolve(id).resolve("result.json").toFile());
        double acc = result.path("metrics").path("final_val_acc").asDouble();
        ((ObjectNode) result.get("metrics")).put("final_val_acc", acc - 0.125);
        JSON.writeValue(b.resolve(id).resolve("result.json").toFile(), result);

        Path out = work.resolve("conflict/merged");
        Jar.Run merge = Jar.run(work, "merge", a.toString(), b.toString(), "--out", out.toString());
        assertEquals(3, merge.exit(), merge.all());
        assertTrue(merge.err().contains("1 trial(s) have different results in different folders; nothing was written")
                && merge.err().contains(id + ": metrics.final_val_acc " + acc + " vs " + (acc - 0.125)), merge.err());
        assertFalse(Files.exists(out.resolve("trials.json")));

        Jar.Run same = Jar.run(work, "merge", a.toString(), copy(serialDir(), work.resolve("conflict/c/smoke")).toString(),
                "--out", out.toString());
        assertEquals(0, same.exit(), same.all());
        assertTrue(same.out().contains("4 trial(s) were in more than one folder with the same result; counted once"), same.out());
    }

    @Test
    void aShardOutOfRangeIsAClearError() throws Exception {
        Jar.Run run = Jar.run(work, "run", Jar.sweep("smoke.yaml"), "--shard", "2/2");
        assertEquals(2, run.exit(), run.all());
        assertEquals("error: --shard 2/2: the shard index must be 0 to 1 (i/n with 0 <= i < n, n >= 1)", run.err().strip());
    }

    @Test
    void aMissingNativeLibraryIsOneClearError() throws Exception {
        // PyTorch 2.99.0 is in no jar: DJL would download it, and offline it cannot.
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Jar.Run run = exec(Map.of("PYTORCH_VERSION", "2.99.0", "ENGINE_CACHE_DIR", work.resolve("djl-cache").toString()),
                java, "-jar", Jar.JAR.toString(), "run", Jar.sweep("smoke.yaml"), "--dry-run");
        assertEquals(2, run.exit(), run.all());
        assertTrue(run.err().startsWith("error: cannot load PyTorch's native library (") && run.err().contains("-Pcuda"),
                run.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"run", "merge", "k8s-job", "slurm"})
    void theScaleCommandsHaveHelp(String command) throws Exception {
        Jar.Run run = Jar.run(work, command, "--help");
        assertEquals(0, run.exit(), run.all());
        assertTrue(run.out().startsWith("Usage: experiments.jar " + command), run.out());
        if (command.equals("run")) {
            assertTrue(run.out().contains("--shard=i/n") && run.out().contains("--parallel=N") && run.out().contains("--threads=T"),
                    run.out());
            assertFalse(run.out().contains("--worker-trials"), "internal option hidden");
        }
    }

    private static void assertSameResults(Path expected, Path actual) throws IOException {
        SameResults.assertSameResults(expected, actual);
    }

    private static Set<String> trialIds(Path sweepDir) throws IOException {
        return SameResults.trialIds(sweepDir);
    }

    private static Path copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return to;
    }

    private static Jar.Run bash(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("/bin/bash"));
        command.addAll(List.of(args));
        return exec(env, command.toArray(String[]::new));
    }

    private static Jar.Run exec(Map<String, String> env, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("SLURM_") || k.startsWith("PYTORCH_") || k.equals("NORMLAB_JAR"));
        pb.environment().putAll(env);
        Path out = Files.createTempFile("exec-out", ".txt");
        Path err = Files.createTempFile("exec-err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + List.of(command));
        }
        Jar.Run run = new Jar.Run(p.exitValue(), Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        return run;
    }
}

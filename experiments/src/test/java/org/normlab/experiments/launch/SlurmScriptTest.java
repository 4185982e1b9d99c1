package org.normlab.experiments.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.normlab.results.UserError;

/** The sbatch script: its #SBATCH lines, and what bash actually runs for an array task. */
class SlurmScriptTest {

    @TempDir Path tmp;

    private static SlurmScript.Builder smoke() {
        return SlurmScript.builder().sweep("smoke", "/shared/sweeps/smoke.yaml").shards(4).out("/shared/runs")
                .jar("/shared/experiments.jar");
    }

    @Test
    void anArrayOfOneTaskPerShard() {
        String text = smoke().partition("gpu").time("24:00:00").gpusPerTask(1).memory("16G").account("lab")
                .extra(List.of("--qos=long")).build().text();
        List<String> lines = text.lines().toList();
        assertEquals("#!/bin/bash", lines.get(0));
        for (String line : List.of("#SBATCH --array=0-3", "#SBATCH --ntasks=1", "#SBATCH --cpus-per-task=4",
                "#SBATCH --gpus-per-task=1", "#SBATCH --partition=gpu", "#SBATCH --time=24:00:00", "#SBATCH --mem=16G",
                "#SBATCH --account=lab", "#SBATCH --qos=long", "#SBATCH --job-name=normlab-smoke", "#SBATCH --requeue",
                "#SBATCH --signal=B:TERM@60", "#SBATCH --open-mode=append")) {
            assertTrue(lines.contains(line), line + " missing:\n" + text);
        }
        int firstCommand = lines.indexOf("set -euo pipefail");
        assertTrue(lines.subList(0, firstCommand).stream().allMatch(l -> l.startsWith("#")),
                "sbatch reads #SBATCH lines only before the first command");
        assertTrue(lines.subList(firstCommand, lines.size()).stream().noneMatch(l -> l.startsWith("#SBATCH")));
        assertTrue(text.contains("--shard \"${SLURM_ARRAY_TASK_ID}/4\""), text);
        assertTrue(smoke().maxRunning(2).build().text().contains("#SBATCH --array=0-3%2\n"));
    }

    @Test
    void bashRunsShardIOfNWithEveryArgumentIntact() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "bash is not installed");
        Path fakeJava = tmp.resolve("java");
        Files.writeString(fakeJava, "#!/bin/bash\nprintf '%s\\n' \"$@\"\n");
        fakeJava.toFile().setExecutable(true);
        Path script = tmp.resolve("job.sbatch");
        Files.writeString(script, smoke().sets(List.of("epochs=2", "grid.norm.name=[bn, iebn]", "name=it's $HOME"))
                .javaOptions(List.of("-Xmx2g")).gpusPerTask(2).cpusPerTask(8).build().text());

        assertEquals(0, run("/bin/bash", "-n", script.toString()).exit, "bash -n: the syntax is valid");
        Result r = run(Map.of("SLURM_ARRAY_TASK_ID", "2", "JAVA", fakeJava.toString()), "/bin/bash", script.toString());
        assertEquals(0, r.exit, r.err);
        assertEquals(List.of("-Xmx6g", "-Xmn64m", "-XX:MaxDirectMemorySize=1g", "-XX:TieredStopAtLevel=1", "-Xmx2g", "-jar", "/shared/experiments.jar", "run", "/shared/sweeps/smoke.yaml",
                "--shard", "2/4", "--out", "/shared/runs", "--set", "epochs=2", "--set", "grid.norm.name=[bn, iebn]",
                "--set", "name=it's $HOME", "--parallel", "2", "--threads", "4"), r.out.lines().toList());

        Result jar = run(Map.of("SLURM_ARRAY_TASK_ID", "0", "JAVA", fakeJava.toString(), "NORMLAB_JAR", "/elsewhere/x.jar"),
                "/bin/bash", script.toString());
        List<String> jarArgs = jar.out.lines().toList();
        assertEquals("/elsewhere/x.jar", jarArgs.get(jarArgs.indexOf("-jar") + 1), "NORMLAB_JAR overrides the jar");

        Result outside = run(Map.of("JAVA", fakeJava.toString()), "/bin/bash", script.toString());
        assertNotEquals(0, outside.exit);
        assertTrue(outside.err.contains("submit this script with sbatch"), outside.err);
    }

    @Test
    void everyTaskGetsThePluginsFolderAndRerunStale() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "bash is not installed");
        Path fakeJava = tmp.resolve("java");
        Files.writeString(fakeJava, "#!/bin/bash\nprintf '%s\\n' \"$@\"\n");
        fakeJava.toFile().setExecutable(true);
        Path script = tmp.resolve("plugins.sbatch");
        String text = smoke().plugins("/shared/my plugins").rerunStale(true).build().text();
        Files.writeString(script, text);
        Result r = run(Map.of("SLURM_ARRAY_TASK_ID", "3", "JAVA", fakeJava.toString()), "/bin/bash", script.toString());
        assertEquals(0, r.exit, r.err);
        List<String> args = r.out.lines().toList();
        assertEquals(List.of("run", "/shared/sweeps/smoke.yaml", "--shard", "3/4", "--out", "/shared/runs", "--plugins",
                "/shared/my plugins", "--rerun-stale", "--threads", "4"), args.subList(args.indexOf("run"), args.size()), text);
        String plain = smoke().build().text();
        assertFalse(plain.contains("--plugins") || plain.contains("--rerun-stale"), plain);
    }

    @Test
    void theGracePeriodIsTheSignalsLeadOnTheTimeLimit() {
        assertTrue(smoke().gracePeriod(300).build().text().contains("\n#SBATCH --signal=B:TERM@300\n"));
        assertEquals("--grace-period 0: must be at least 1 (seconds)",
                assertThrows(UserError.class, () -> smoke().gracePeriod(0).build()).getMessage());
    }

    @Test
    void badSettingsAreClearErrors() {
        assertEquals("--shards 0: must be at least 1", assertThrows(UserError.class, () -> smoke().shards(0).build()).getMessage());
        assertTrue(assertThrows(UserError.class, () -> smoke().partition("gpu\n#SBATCH --x").build()).getMessage()
                .contains("an #SBATCH value takes"));
        assertTrue(assertThrows(UserError.class, () -> smoke().extra(List.of("qos long")).build()).getMessage()
                .startsWith("--sbatch qos long"));
    }

    private record Result(int exit, String out, String err) {}

    private Result run(String... command) throws Exception {
        return run(Map.of(), command);
    }

    private Result run(Map<String, String> env, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("SLURM_ARRAY_TASK_ID");
        pb.environment().remove("NORMLAB_JAR");
        pb.environment().putAll(env);
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + List.of(command));
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}

package org.normlab.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The script that {@code slurm} generates, submitted to a real Slurm cluster (the single-node one
 * that .ci/slurm-up starts on localhost) as a 2-task array of the smoke sweep: merged, its shards
 * give exactly the results of a serial {@code --threads 1} run, also when one task is stopped
 * with SIGTERM in the middle of a trial and requeued. The script asks for memory ({@code --mem}),
 * which the cluster must grant (.ci/slurm-up declares the node's memory). Skipped, saying so,
 * where no Slurm answers.
 */
class SlurmClusterIT {

    /** Ten short epochs: a trial lasts a few seconds, long enough to be stopped in its middle. */
    private static final String EPOCHS = "epochs=10";
    /** Each task's --mem: small enough for any CI machine, and refused by a node that declares no memory. */
    private static final String MEM = "1G";
    private static final Duration JOB_LIMIT = Duration.ofMinutes(4);

    @TempDir static Path work;
    private static final List<String> submitted = new ArrayList<>();
    /** Why no Slurm cluster is reachable, or null. */
    private static String noSlurm;

    @BeforeAll
    static void aClusterAndTheSerialResults() throws Exception {
        noSlurm = whyNoSlurm();
        if (noSlurm != null) {
            System.err.println("SlurmClusterIT skipped: " + noSlurm);
            return;
        }
        Jar.Run serial = Jar.run(work, "run", Jar.sweep("smoke.yaml"), "--out", "serial", "--threads", "1", "--set", EPOCHS);
        assertEquals(0, serial.exit(), serial.all());
    }

    @BeforeEach
    void needsSlurm() {
        assumeTrue(noSlurm == null, () -> "no Slurm cluster reachable, the real-Slurm test is skipped: " + noSlurm
                + " (as root, .ci/setup or .ci/slurm-up starts a single-node one on localhost)");
    }

    @AfterAll
    static void cancelWhatIsLeft() throws Exception {
        for (String job : submitted) {
            exec("scancel", job);
        }
    }

    @Test
    void theArrayOfTwoShardsMergesToTheSerialResults() throws Exception {
        Path script = generate("plain");
        String job = submit(script);
        awaitDone(job);
        assertEveryTaskCompleted(job);
        mergeAndCompare("plain");
    }

    @Test
    void aTaskStoppedMidTrialAndRequeuedStillMergesToTheSerialResults() throws Exception {
        Path script = generate("preempted");
        String job = submit(script);
        String task = job + "_1";
        Path log = work.resolve("normlab-smoke-" + job + "_1.out");
        // Mid-trial: its first epoch is done, nine are to come.
        awaitLine(log, Pattern.compile("(?m)^trial 1/2 .*\\n {2}epoch 1 "), task);
        // The script execs java, so the JVM is the batch step; without --full scancel spares it.
        assertEquals(0, exec("scancel", "--signal=TERM", "--full", task).exit());
        awaitNotRunning(task);
        Path shard = work.resolve("preempted/smoke/shard-1-of-2");
        assertEquals(0, SameResults.trialIds(shard).size(), "stopped in its first trial: " + Files.readString(log));

        assertEquals(0, exec("scontrol", "requeue", task).exit());
        // It starts again when its launch credential has expired (.ci/slurm.conf: 10 s; Slurm's default 120 s).
        awaitDone(job);
        assertEveryTaskCompleted(job);
        assertTrue(scontrol(task).contains("Restarts=1"), scontrol(task));
        mergeAndCompare("preempted");
    }

    private static Path generate(String name) throws Exception {
        Path script = work.resolve(name + ".sbatch");
        Jar.Run gen = Jar.run(work, "slurm", Jar.sweep("smoke.yaml"), "--shards", "2", "--out", name, "--cpus-per-task", "1",
                "--mem", MEM, "--set", EPOCHS, "--file", script.toString());
        assertEquals(0, gen.exit(), gen.all());
        assertTrue(Files.readString(script).contains("\n#SBATCH --mem=" + MEM + "\n"), Files.readString(script));
        return script;
    }

    private static String submit(Path script) throws Exception {
        Jar.Run r = exec("sbatch", "--parsable", script.toString());
        assertEquals(0, r.exit(), r.all());
        String job = r.out().strip().split(";")[0];
        assertTrue(job.matches("\\d+"), r.out());
        submitted.add(job);
        // The cluster took the script's --mem (a node that declares no memory refuses it at sbatch).
        assertTrue(scontrol(job).contains("MinMemoryNode=" + MEM), scontrol(job));
        return job;
    }

    private static void mergeAndCompare(String name) throws Exception {
        Path merged = work.resolve(name).resolve("smoke");
        Jar.Run merge = Jar.run(work, "merge", merged.toString());
        assertEquals(0, merge.exit(), merge.all());
        assertTrue(merge.out().contains("4 of 4 planned trials have a result (4 completed)"), merge.out());
        SameResults.assertSameResults(work.resolve("serial/smoke"), merged);
    }

    private static void assertEveryTaskCompleted(String job) throws Exception {
        String show = scontrol(job);
        List<String> states = new ArrayList<>();
        Matcher m = Pattern.compile("JobState=(\\S+)").matcher(show);
        while (m.find()) {
            states.add(m.group(1));
        }
        String logs = "";
        for (int task = 0; task < 2; task++) {
            String log = Files.readString(work.resolve("normlab-smoke-" + job + "_" + task + ".out"));
            assertTrue(log.contains("shard " + task + "/2 runs 2 of the sweep's 4 trials"), log);
            logs += "task " + task + ":\n" + log;
        }
        assertEquals(List.of("COMPLETED", "COMPLETED"), states, show + logs);
    }

    private static String scontrol(String job) throws Exception {
        Jar.Run r = exec("scontrol", "show", "job", job);
        assertEquals(0, r.exit(), r.all());
        return r.out();
    }

    /** Until no task of the job is pending or running. */
    private static void awaitDone(String job) throws Exception {
        await(() -> exec("squeue", "-h", "-j", job).out().isBlank(), "job " + job + " to finish");
    }

    private static void awaitNotRunning(String task) throws Exception {
        await(() -> !exec("squeue", "-h", "-j", task, "-t", "RUNNING,COMPLETING").out().contains(task.split("_")[0]),
                task + " to stop");
    }

    private static void awaitLine(Path log, Pattern line, String task) throws Exception {
        await(() -> Files.isRegularFile(log) && line.matcher(Files.readString(log)).find(), task + " to start its first trial");
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    private static void await(Condition condition, String what) throws Exception {
        Instant deadline = Instant.now().plus(JOB_LIMIT);
        while (!condition.holds()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("waited " + JOB_LIMIT.toSeconds() + " s for " + what + "; squeue:\n"
                        + exec("squeue").out());
            }
            Thread.sleep(100);
        }
    }

    /** Null when sbatch is installed and a controller answers, else why not. */
    private static String whyNoSlurm() {
        String conf = System.getenv().getOrDefault("SLURM_CONF", "/etc/slurm/slurm.conf");
        if (!Files.isRegularFile(Path.of(conf))) {
            return "no Slurm configuration at " + conf;  // scontrol would retry for a minute
        }
        try {
            Jar.Run ping = exec("scontrol", "ping");
            if (ping.exit() != 0 || !ping.out().contains("is UP")) {
                return "`scontrol ping` says " + ping.all().strip();
            }
            Jar.Run nodes = exec("sinfo", "-h", "-o", "%T");
            if (nodes.out().lines().noneMatch(s -> s.matches("idle|mixed|allocated|completing"))) {
                return "no node is up (sinfo: " + nodes.all().strip() + ")";
            }
            return null;
        } catch (IOException e) {
            return "the Slurm commands are not installed (" + e.getMessage() + ")";
        } catch (Exception e) {
            return e.toString();
        }
    }

    /** Runs a command in the work folder; sbatch passes this environment on to the job. */
    private static Jar.Run exec(String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile());
        // No job variables from a surrounding job; SLURM_CONF says which cluster.
        pb.environment().keySet().removeIf(k -> k.startsWith("SLURM_") && !k.equals("SLURM_CONF") || k.equals("NORMLAB_JAR"));
        pb.environment().put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Path out = Files.createTempFile(work, "exec-out", ".txt");
        Path err = Files.createTempFile(work, "exec-err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(1, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + List.of(command));
        }
        Jar.Run run = new Jar.Run(p.exitValue(), Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        return run;
    }
}

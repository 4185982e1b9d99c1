package org.normlab.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.normlab.experiments.sweep.MachineLock;

/**
 * Two sweeps on one machine, each in its own folder: the second one, started while the first is
 * training, warns once with the first's pid (both with their own java.io.tmpdir, so other runs on
 * this machine do not interfere); a --dry-run neither takes the marker nor warns. A --parallel x
 * --threads beyond the cores is refused before anything runs.
 */
class MachineLockIT {

    private static final String WARNING = "warning: another NormLab run is training on this machine (pid ";

    @TempDir Path work;

    @Test
    void aSecondSweepBesideARunningOneWarnsOnceADryRunNever() throws Exception {
        Path tmp = Files.createDirectories(work.resolve("tmp"));
        List<String> jvm = List.of("-Djava.io.tmpdir=" + tmp);
        Path first = Files.createDirectories(work.resolve("first"));
        Path second = Files.createDirectories(work.resolve("second"));
        // 1. a dry-run alone takes nothing
        Jar.Run dry = Jar.run(second, jvm, Jar.sweep("smoke.yaml"), "--out", "runs", "--threads", "1", "--dry-run");
        assertEquals(0, dry.exit(), dry.all());
        assertFalse(Files.exists(tmp.resolve(MachineLock.FILE)), "a dry-run does not take the marker");
        // 2. the first sweep trains
        Path out = first.resolve("out.txt");
        Process p = Jar.start(first, jvm, out, first.resolve("err.txt"), Jar.sweep("smoke.yaml"), "--out", "runs", "--threads", "1",
                "--set", "epochs=30"); // killed once the second sweep is done
        try {
            Jar.awaitOutput(out, "  epoch 1 ", p);
            // 3. a dry-run beside it neither warns nor fails
            dry = Jar.run(second, jvm, Jar.sweep("smoke.yaml"), "--out", "runs", "--threads", "1", "--dry-run");
            assertEquals(0, dry.exit(), dry.all());
            assertFalse(dry.all().contains(WARNING), dry.all());
            // 4. a second, small sweep in another folder trains, warning once with the first's pid
            Jar.Run run = Jar.run(second, jvm, Jar.sweep("smoke.yaml"), "--out", "runs", "--threads", "1",
                    "--set", "epochs=1", "--set", "seeds=[1]", "--set", "grid.norm.name=[bn]");
            assertEquals(0, run.exit(), run.all());
            assertEquals(List.of(WARNING + p.pid() + "); two runs on the same cores slow each other ~15x"),
                    run.out().lines().filter(l -> l.contains("another NormLab run")).toList(), run.out());
            assertTrue(p.isAlive(), "the first sweep was still training");
        } finally {
            Jar.kill(p);
        }
        assertFalse(Files.readString(out).contains(WARNING), Files.readString(out));
    }

    @Test
    void moreThreadsThanCoresAreRefused() throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        Jar.Run run = Jar.run(work, Jar.sweep("smoke.yaml"), "--out", "runs", "--dry-run", "--parallel", "1",
                "--threads", Integer.toString(cores + 1));
        assertEquals(2, run.exit(), run.all());
        assertTrue(run.err().contains("--parallel 1 x --threads " + (cores + 1) + " = " + (cores + 1)
                + " PyTorch threads on this machine's " + cores + " cores would oversubscribe them; use --threads " + cores
                + " or fewer"), run.all());
        assertFalse(Files.exists(work.resolve("runs")), "nothing written");
    }
}

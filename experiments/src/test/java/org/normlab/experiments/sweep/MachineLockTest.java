package org.normlab.experiments.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The machine-wide marker: free, it is taken without a word; held by another process (a child
 * JVM that takes it and waits), one warning line names that process; released, it is free again.
 */
class MachineLockTest {

    @TempDir Path dir;

    /** The child: takes the marker in args[0], says so, then waits until killed. */
    public static void main(String[] args) throws Exception {
        MachineLock lock = MachineLock.acquire(Path.of(args[0]), System.out);
        System.out.println(lock.held() ? "held" : "not held");
        System.out.flush();
        Thread.sleep(TimeUnit.MINUTES.toMillis(2));
    }

    @Test
    void anotherProcessHoldingItGivesOneWarningLine() throws Exception {
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), MachineLockTest.class.getName(), dir.toString())
                .redirectErrorStream(true).start();
        try {
            String first = new String(child.getInputStream().readNBytes(5), StandardCharsets.US_ASCII);
            assertEquals("held\n", first);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (MachineLock lock = MachineLock.acquire(dir, new PrintStream(out, true, StandardCharsets.UTF_8))) {
                assertFalse(lock.held());
            }
            assertEquals(List.of("warning: another NormLab run is training on this machine (pid " + child.pid()
                    + "); two runs on the same cores slow each other ~15x"), out.toString(StandardCharsets.UTF_8).lines().toList());
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MachineLock lock = MachineLock.acquire(dir, new PrintStream(out, true, StandardCharsets.UTF_8))) {
            assertTrue(lock.held(), "a killed holder leaves no stale lock");
            assertEquals(ProcessHandle.current().pid() + "\n", Files.readString(dir.resolve(MachineLock.FILE)));
        }
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }
}

package org.normlab.experiments.sweep;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A machine-wide marker that a NormLab run is training, {@code normlab-running.lock} in
 * java.io.tmpdir, held with an OS lock (so a killed process leaves nothing stale behind). A
 * sweep folder's own lock refuses a second run on the same folder; this one only warns, since a
 * second sweep elsewhere is allowed but shares the cores. Only a run that trains takes it (not
 * --dry-run, not a --parallel worker, whose parent holds it).
 */
public final class MachineLock implements AutoCloseable {

    public static final String FILE = "normlab-running.lock";

    private final FileChannel channel;

    private MachineLock(FileChannel channel) {
        this.channel = channel;
    }

    /**
     * Takes the marker in {@code dir} when it is free; when another process holds it, prints one
     * warning line naming that process and holds nothing. Never fails: the marker only warns.
     */
    public static MachineLock acquire(Path dir, PrintStream console) {
        Path file = dir.resolve(FILE);
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                ch.close();
                return new MachineLock(null); // this JVM already holds it
            }
            if (lock == null) {
                ch.close();
                console.println("warning: another NormLab run is training on this machine (pid " + holder(file)
                        + "); two runs on the same cores slow each other ~15x");
                return new MachineLock(null);
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)));
            ch.force(false);
            return new MachineLock(ch);
        } catch (IOException e) {
            closeQuietly(ch);
            return new MachineLock(null); // an unwritable tmpdir: no marker, no warning
        }
    }

    /** The marker in java.io.tmpdir. */
    public static MachineLock acquire(PrintStream console) {
        return acquire(Path.of(System.getProperty("java.io.tmpdir")), console);
    }

    /** Whether this process holds the marker. */
    public boolean held() {
        return channel != null;
    }

    private static String holder(Path file) {
        try {
            String pid = Files.readString(file, StandardCharsets.US_ASCII).trim();
            return pid.isEmpty() ? "unknown" : pid;
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // nothing held
            }
        }
    }

    @Override
    public void close() {
        closeQuietly(channel); // closing the channel releases the lock; the file stays, empty of meaning
    }
}

package org.normlab.experiments.train;

/**
 * The run stopped on a {@link Stop} request, with what was saved: the message is the one line the
 * process ends with.
 */
public final class Stopped extends RuntimeException {

    private final int exitCode;

    public Stopped(Stop stop, String what) {
        super("stopped by " + stop.signal() + ": " + what + "; run the same command again to resume");
        this.exitCode = stop.exitCode();
    }

    public int exitCode() {
        return exitCode;
    }
}

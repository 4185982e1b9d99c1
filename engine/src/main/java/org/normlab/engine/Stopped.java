package org.normlab.engine;

/**
 * The run stopped on a {@link Stop} request, with what was saved: the message is the one line the
 * process ends with.
 */
public final class Stopped extends RuntimeException {

    private final int exitCode;

    /** @param what what was saved, e.g. "trial X saved at epoch 2, batch 5, step 21 to PATH" */
    public Stopped(Stop stop, String what) {
        this(stop, what, true);
    }

    /** @param resumable whether anything is left to resume (the line then says how) */
    public Stopped(Stop stop, String what, boolean resumable) {
        super("stopped by " + stop.signal() + ": " + what + (resumable ? "; run the same command again to resume" : ""));
        this.exitCode = stop.exitCode();
    }

    public int exitCode() {
        return exitCode;
    }
}

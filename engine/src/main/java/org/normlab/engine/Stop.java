package org.normlab.engine;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A request to stop the run (SIGTERM or SIGINT): set from a signal handler, read by the training
 * loop between steps, so that no native call is interrupted. The loop finishes its step, saves a
 * resumable checkpoint and throws {@link Stopped}. The CLI makes one for the process and passes it
 * on (the composition root binds it for {@link TrialRunner}).
 */
public final class Stop {

    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private volatile String signal;
    private volatile int exitCode;

    /**
     * Asks the run to stop; the first request wins, later ones return false.
     *
     * @param signal what asked, e.g. SIGTERM
     * @param exitCode the exit code the process ends with (143 for SIGTERM, 130 for SIGINT)
     */
    public synchronized boolean request(String signal, int exitCode) {
        if (this.signal != null) {
            return false;
        }
        this.exitCode = exitCode;
        this.signal = signal;
        listeners.forEach(Runnable::run);
        return true;
    }

    public boolean requested() {
        return signal != null;
    }

    public String signal() {
        return signal;
    }

    public int exitCode() {
        return exitCode;
    }

    /** Runs {@code action} on a request (at once if one came already); e.g. to pass it to workers. */
    public synchronized Runnable onRequest(Runnable action) {
        listeners.add(action);
        if (signal != null) {
            action.run();
        }
        return () -> listeners.remove(action);
    }
}

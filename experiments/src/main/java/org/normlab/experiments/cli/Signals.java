package org.normlab.experiments.cli;

import java.io.PrintStream;
import org.normlab.engine.Stop;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT ask the run to stop ({@link Stop}) instead of shutting the JVM down: a
 * shutdown during a native call (the JVM's hooks free native memory while the training thread
 * still runs) crashes it. The trial under way finishes its step, saves its resume checkpoint,
 * and the process exits 143 (SIGTERM) or 130 (SIGINT) with one line saying what was saved.
 */
final class Signals {

    static final int SIGTERM_EXIT = 143;
    static final int SIGINT_EXIT = 130;

    private Signals() {}

    /** Makes SIGTERM and SIGINT request {@code stop}; {@code err} says so. */
    static void install(Stop stop, PrintStream err) {
        handle(stop, "TERM", SIGTERM_EXIT, err);
        handle(stop, "INT", SIGINT_EXIT, err);
    }

    private static void handle(Stop stop, String name, int exitCode, PrintStream err) {
        Signal.handle(new Signal(name), signal -> {
            if (stop.request("SIG" + name, exitCode)) {
                err.println("SIG" + name + ": stopping after the current step, saving the trial to resume it");
            } else {
                err.println("SIG" + name + ": already stopping (kill -9 stops at once; the last checkpoint stays)");
            }
        });
    }
}

package org.normlab.results;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Crash tests' hook: with {@code -Dnormlab.crash=POINT@N} the process halts (as kill -9 would:
 * no shutdown hooks, no cleanup) the N-th time it reaches POINT. Points are named where they
 * are reached, e.g. {@code write:result.json} (a file written, not yet renamed into place).
 * Signal tests' hook: with {@code -Dnormlab.signal=SIG:POINT@N} (SIG is TERM or INT) the process
 * sends itself that signal the N-th time it reaches POINT, e.g. {@code TERM:train:backward@5}.
 * Without the properties this does nothing.
 */
public final class FaultInjection {

    private static final String SPEC = System.getProperty("normlab.crash", "");
    private static final String SIGNAL_SPEC = System.getProperty("normlab.signal", "");
    private static final AtomicInteger HITS = new AtomicInteger();
    private static final AtomicInteger SIGNAL_HITS = new AtomicInteger();

    private FaultInjection() {}

    public static void point(String name) {
        if (!SIGNAL_SPEC.isEmpty()) {
            signalAt(name);
        }
        if (SPEC.isEmpty()) {
            return;
        }
        int at = SPEC.lastIndexOf('@');
        String wanted = at < 0 ? SPEC : SPEC.substring(0, at);
        int n = at < 0 ? 1 : Integer.parseInt(SPEC.substring(at + 1));
        if (wanted.equals(name) && HITS.incrementAndGet() == n) {
            System.err.println("normlab.crash: halting at " + name + " (hit " + n + ")");
            System.err.flush();
            Runtime.getRuntime().halt(137);
        }
    }

    /** Whether the process ignores the signal: its bit in /proc/self/status's SigIgn mask. */
    private static boolean ignored(String signal) {
        int number = new sun.misc.Signal(signal).getNumber();
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("SigIgn:")) {
                    return (Long.parseUnsignedLong(line.substring(7).trim(), 16) >>> (number - 1) & 1) == 1;
                }
            }
        } catch (java.io.IOException | NumberFormatException e) {
            return false;
        }
        return false;
    }

    private static void signalAt(String name) {
        int colon = SIGNAL_SPEC.indexOf(':');
        int at = SIGNAL_SPEC.lastIndexOf('@');
        String wanted = SIGNAL_SPEC.substring(colon + 1, at < 0 ? SIGNAL_SPEC.length() : at);
        int n = at < 0 ? 1 : Integer.parseInt(SIGNAL_SPEC.substring(at + 1));
        if (wanted.equals(name) && SIGNAL_HITS.incrementAndGet() == n) {
            String signal = SIGNAL_SPEC.substring(0, colon);
            System.err.println("normlab.signal: SIG" + signal + " at " + name + " (hit " + n + ")"
                    + (ignored(signal) ? "; this process ignores SIG" + signal + " (inherited: started in the background "
                            + "by a non-interactive shell), so nothing happens" : ""));
            sun.misc.Signal.raise(new sun.misc.Signal(signal));
        }
    }
}

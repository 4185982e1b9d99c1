package org.normlab.results;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Crash tests' hook: with {@code -Dnormlab.crash=POINT@N} the process halts (as kill -9 would:
 * no shutdown hooks, no cleanup) the N-th time it reaches POINT. Points are named where they
 * are reached, e.g. {@code write:result.json} (a file written, not yet renamed into place).
 * Without the property this does nothing.
 */
public final class FaultInjection {

    private static final String SPEC = System.getProperty("normlab.crash", "");
    private static final AtomicInteger HITS = new AtomicInteger();

    private FaultInjection() {}

    public static void point(String name) {
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
}

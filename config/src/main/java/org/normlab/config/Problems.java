package org.normlab.config;

import java.util.ArrayList;
import java.util.List;

/** Collects what is wrong with a configuration, each problem with the dotted key it is about. */
public final class Problems {

    /** One problem: the dotted key (for example {@code data.batch_size}) and the message. */
    public record Problem(String key, String message) {}

    private final List<Problem> list = new ArrayList<>();

    public void add(String key, String message) {
        list.add(new Problem(key, message));
    }

    /** Adds the problem unless {@code ok}. */
    public void require(boolean ok, String key, String message) {
        if (!ok) {
            add(key, message);
        }
    }

    public void atLeast(long value, long min, String key) {
        require(value >= min, key, "must be at least " + min + " (got " + value + ")");
    }

    public void oneOf(String value, List<String> allowed, String key) {
        require(allowed.contains(value), key, "must be one of " + String.join(", ", allowed) + " (got '" + value + "')");
    }

    public List<Problem> list() {
        return list;
    }

    public boolean isEmpty() {
        return list.isEmpty();
    }
}

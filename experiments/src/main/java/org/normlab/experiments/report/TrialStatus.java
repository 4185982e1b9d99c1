package org.normlab.experiments.report;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How a trial ended, as written in its result.json. */
public enum TrialStatus {
    COMPLETED,
    DIVERGED,
    FAILED;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status spelled {@code text}, or null when there is none. */
    static TrialStatus parse(String text) {
        for (TrialStatus s : values()) {
            if (s.id().equals(text)) {
                return s;
            }
        }
        return null;
    }

    static String allowed() {
        return Arrays.stream(values()).map(TrialStatus::id).collect(Collectors.joining(", "));
    }
}

package org.normlab.results;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** How a trial ended, as written in its result.json ("completed", "diverged", "failed"). */
public enum TrialStatus {
    COMPLETED,
    DIVERGED,
    FAILED;

    /** The spelling in result.json and results.csv. */
    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Printed as written in the files, so messages and CSV cells read the same. */
    @Override
    public String toString() {
        return id();
    }

    /** Whether a rerun of the sweep skips a trial that ended so: only failures run again. */
    public boolean isFinished() {
        return this != FAILED;
    }

    /** The status spelled {@code text}, or null when there is none. */
    public static TrialStatus parse(String text) {
        for (TrialStatus s : values()) {
            if (s.id().equals(text)) {
                return s;
            }
        }
        return null;
    }

    public static String allowed() {
        return Arrays.stream(values()).map(TrialStatus::id).collect(Collectors.joining(", "));
    }
}

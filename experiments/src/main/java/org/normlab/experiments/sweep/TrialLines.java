package org.normlab.experiments.sweep;

import java.util.Map;
import java.util.stream.Collectors;
import org.normlab.config.Trial;
import org.normlab.results.TrialResult;

/** How the console names a trial's settings and its outcome, the same in every line that prints them. */
final class TrialLines {

    private TrialLines() {}

    /** "  trial ID failed: message" or "  trial ID diverged at epoch N". */
    static String outcome(TrialResult r) {
        return "  trial " + r.trialId() + " " + r.status()
                + (r.error() != null ? ": " + r.error() : r.divergedEpoch() != null ? " at epoch " + r.divergedEpoch() : "");
    }

    /** "norm=bn batch_size=8": the swept settings by their short keys. */
    static String settings(Trial t) {
        return settings(t.swept());
    }

    static String settings(Map<String, Object> swept) {
        return swept.entrySet().stream()
                .map(e -> shortKey(e.getKey()) + "=" + e.getValue())
                .collect(Collectors.joining(" "));
    }

    /** The last part of a key, or the one before a final "name" (norm.name is "norm"). */
    private static String shortKey(String key) {
        String[] parts = key.split("\\.");
        return parts.length >= 2 && parts[parts.length - 1].equals("name") ? parts[parts.length - 2] : parts[parts.length - 1];
    }
}

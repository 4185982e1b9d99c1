package org.normlab.experiments.sweep;

import java.util.List;
import org.normlab.experiments.config.Trial;
import org.normlab.experiments.wiring.TrialProvenance;
import org.normlab.norm.NormRegistry;
import org.normlab.results.Provenance;
import org.normlab.results.TrialResult;

/** Whether a finished trial's recorded provenance still is the code this run would use. */
final class Staleness {

    private final NormRegistry registry;

    Staleness(NormRegistry registry) {
        this.registry = registry;
    }

    /** What changed since {@code previous} ran, empty when nothing did. */
    List<String> changes(Trial trial, TrialResult previous) {
        return Provenance.differences(previous.provenance(), TrialProvenance.of(registry, trial.config()));
    }

    /** {@code "stale: body: gn (...) is now gn (...)"} */
    static String describe(List<String> changes) {
        return "stale: " + String.join("; ", changes);
    }
}

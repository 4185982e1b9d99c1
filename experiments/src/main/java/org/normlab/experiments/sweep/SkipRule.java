package org.normlab.experiments.sweep;

import java.util.List;
import org.normlab.config.Trial;
import org.normlab.engine.assembly.TrialProvenance;
import org.normlab.norm.NormRegistry;
import org.normlab.results.Provenance;
import org.normlab.results.TrialResult;

/**
 * The one rule for a rerun, for the run and its {@code --dry-run}: a trial without a finished
 * result runs; a finished one (completed or diverged) is skipped, unless its recorded provenance
 * differs from the code this run would use: then it is stale, skipped and reported, or rerun
 * with {@code --rerun-stale}.
 */
final class SkipRule {

    /**
     * @param run whether the trial runs (again)
     * @param previous its earlier result, null when none
     * @param changes what changed since {@code previous} ran; empty unless stale
     */
    record Decision(boolean run, TrialResult previous, List<String> changes) {
        boolean stale() {
            return !changes.isEmpty();
        }

        /** {@code "stale: body: gn (...) is now gn (...)"} */
        String describeStale() {
            return "stale: " + String.join("; ", changes);
        }
    }

    private final NormRegistry registry;
    private final boolean rerunStale;

    SkipRule(NormRegistry registry, boolean rerunStale) {
        this.registry = registry;
        this.rerunStale = rerunStale;
    }

    /** Whether stale trials run again ({@code --rerun-stale}). */
    boolean rerunsStale() {
        return rerunStale;
    }

    Decision decide(Trial trial, TrialResult previous) {
        if (previous == null || !previous.status().isFinished()) {
            return new Decision(true, previous, List.of());
        }
        List<String> changes = Provenance.differences(previous.provenance(), TrialProvenance.of(registry, trial.config()));
        return new Decision(rerunStale && !changes.isEmpty(), previous, changes);
    }
}

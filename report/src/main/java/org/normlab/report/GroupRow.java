package org.normlab.report;

import org.normlab.results.TrialStatus;
import java.util.List;
import java.util.Map;

/**
 * The trials of one combination of swept settings (the seeds pooled): their counts and, over the
 * completed ones, each metric's mean and sample std.
 *
 * @param summaries by {@link Metric#name()}; diverged and failed trials are not in them
 * @param trials every result of the group, whatever its status
 */
public record GroupRow(
        Settings settings,
        NormVariant norm,
        int planned,
        int completed,
        int diverged,
        int failed,
        int missing,
        int conflicts,
        Map<String, Summary> summaries,
        List<TrialOutcome> trials) {

    public Summary summary(Metric m) {
        return summaries.getOrDefault(m.name(), Summary.EMPTY);
    }

    public List<TrialOutcome> completedTrials() {
        return trials.stream().filter(t -> t.status() == TrialStatus.COMPLETED).toList();
    }
}

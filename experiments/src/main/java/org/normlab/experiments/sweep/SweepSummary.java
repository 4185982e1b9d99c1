package org.normlab.experiments.sweep;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.normlab.config.Sweep;
import org.normlab.config.Trial;
import org.normlab.results.FileNames;
import org.normlab.results.ResultStore;
import org.normlab.results.TrialResult;
import org.normlab.results.TrialStatus;

/**
 * The end of a run, from its files: which trials did not complete, results.csv brought up to
 * date, the report, and the exit code.
 */
final class SweepSummary {

    private final PrintStream console;
    private final SweepRunner.ReportWriter reports;

    SweepSummary(PrintStream console, SweepRunner.ReportWriter reports) {
        this.console = console;
        this.reports = reports;
    }

    /** @return {@link SweepRunner#ALL_COMPLETED} or {@link SweepRunner#SOME_NOT_COMPLETED} */
    int summarize(Sweep sweep, ResultStore store, ResultsTable table) throws IOException {
        int notCompleted = 0;
        List<String> missing = new ArrayList<>();
        for (Trial trial : sweep.trials()) {
            TrialResult r = store.read(trial.id());
            if (r == null) {
                missing.add(trial.id());
                notCompleted++;
            } else if (r.status() != TrialStatus.COMPLETED) {
                notCompleted++;
                console.println(TrialLines.outcome(r));
            }
        }
        if (!missing.isEmpty()) {
            console.printf("  no result for %d trial(s), their worker stopped early (see its output above): %s%n",
                    missing.size(), String.join(", ", missing));
        }
        table.bringUpToDate();
        Path report = reports.write(store.dir());
        console.printf("results: %s%nreport:  %s%n", store.dir().resolve(FileNames.RESULTS_CSV), report);
        if (notCompleted > 0) {
            console.printf("%d of %d trials did not complete (diverged, failed or no result); see results.csv%n",
                    notCompleted, sweep.trials().size());
            return SweepRunner.SOME_NOT_COMPLETED;
        }
        return SweepRunner.ALL_COMPLETED;
    }
}

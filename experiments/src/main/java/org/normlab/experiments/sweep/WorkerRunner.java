package org.normlab.experiments.sweep;

import com.google.inject.Injector;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.normlab.experiments.UserError;
import org.normlab.experiments.config.Sweep;
import org.normlab.experiments.config.Trial;
import org.normlab.results.ResultStore;
import org.normlab.results.TrialResult;
import org.normlab.results.TrialStatus;
import org.normlab.experiments.train.Progress;
import org.normlab.experiments.train.TrialRunner;
import org.normlab.experiments.wiring.RunModule;
import org.normlab.experiments.wiring.TrialModule;

/**
 * One worker process of {@link ParallelRunner}: runs the trials it is given into the sweep's
 * folder, which its parent has validated, locked and will summarize (results.csv, report).
 */
public final class WorkerRunner {

    private final Injector core;
    private final PrintStream console;

    public WorkerRunner(Injector core, PrintStream console) {
        this.core = core;
        this.console = console;
    }

    /**
     * @param trialIds the trials to run, in this order
     * @param dir the sweep's (or shard's) folder, locked by the parent
     * @param device overrides every trial's device when not null
     */
    public int run(Sweep sweep, List<String> trialIds, Path dir, String device) throws IOException {
        Map<String, Trial> byId = sweep.byId();
        for (String id : trialIds) {
            if (!byId.containsKey(id)) {
                throw new UserError("--worker-trials: the sweep has no trial " + id);
            }
        }
        try (ResultStore store = ResultStore.openAsWorker(dir)) {
            Progress progress = new Progress(console, false);
            Injector run = core.createChildInjector(new RunModule(sweep.name(), store, progress, device));
            int notCompleted = 0;
            for (int i = 0; i < trialIds.size(); i++) {
                Trial trial = byId.get(trialIds.get(i));
                progress.trialStarted(i + 1, trialIds.size(), trial.id(), SweepRunner.settings(trial), null);
                TrialResult result = run.createChildInjector(new TrialModule(trial)).getInstance(TrialRunner.class).run();
                if (result.status() != TrialStatus.COMPLETED) {
                    notCompleted++;
                    console.printf("  trial %s %s%s%n", trial.id(), result.status(),
                            result.error() != null ? ": " + result.error()
                                    : result.divergedEpoch() != null ? " at epoch " + result.divergedEpoch() : "");
                }
            }
            return notCompleted > 0 ? SweepRunner.SOME_NOT_COMPLETED : SweepRunner.ALL_COMPLETED;
        }
    }
}

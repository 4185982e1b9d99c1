package org.normlab.experiments.sweep;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.normlab.config.Sweep;
import org.normlab.config.Trial;
import org.normlab.engine.Progress;
import org.normlab.engine.Stop;
import org.normlab.engine.Stopped;
import org.normlab.results.ResultStore;
import org.normlab.results.TrialResult;
import org.normlab.results.TrialStatus;

/**
 * Trials one after another in this JVM, each built by the {@link TrialLauncher}. A whole sweep
 * numbers trials by their place in the sweep, shows an ETA and keeps results.csv current; a
 * {@code --parallel} worker numbers its own part and leaves results.csv to its parent.
 */
final class InThisProcess implements TrialExecution {

    private final TrialLauncher launcher;
    private final PrintStream console;
    private final String deviceOverride;
    /** The whole sweep's results.csv; null in a worker. */
    private final ResultsTable table;
    private final Stop stop;

    private InThisProcess(TrialLauncher launcher, PrintStream console, String deviceOverride, ResultsTable table, Stop stop) {
        this.launcher = launcher;
        this.console = console;
        this.deviceOverride = deviceOverride;
        this.table = table;
        this.stop = stop;
    }

    /** The trials of a whole sweep (or shard), results.csv rewritten after each. */
    static InThisProcess wholeSweep(TrialLauncher launcher, PrintStream console, String deviceOverride, ResultsTable table,
            Stop stop) {
        return new InThisProcess(launcher, console, deviceOverride, table, stop);
    }

    /** A {@code --parallel} worker's part: its parent writes results.csv when all workers are done. */
    static InThisProcess worker(TrialLauncher launcher, PrintStream console, String deviceOverride, Stop stop) {
        return new InThisProcess(launcher, console, deviceOverride, null, stop);
    }

    @Override
    public void run(Sweep sweep, List<Trial> trials, ResultStore store, Progress progress) throws IOException {
        boolean wholeSweep = table != null;
        TrialLauncher.Run run = launcher.startRun(new TrialLauncher.RunScope(sweep.name(), store, progress, deviceOverride));
        List<Double> seconds = new ArrayList<>();
        int total = wholeSweep ? sweep.trials().size() : trials.size();
        for (int i = 0; i < trials.size(); i++) {
            Trial trial = trials.get(i);
            if (stop.requested()) {
                throw new Stopped(stop, (trials.size() - i) + " trial(s) not started yet, those before them finished");
            }
            int number = wholeSweep ? trial.index() + 1 : i + 1;
            Duration eta = !wholeSweep || seconds.isEmpty() ? null : Duration.ofSeconds(
                    (long) ((total - trial.index()) * seconds.stream().mapToDouble(d -> d).average().orElse(0)));
            progress.trialStarted(number, total, trial.id(), TrialLines.settings(trial), eta);
            long start = System.nanoTime();
            TrialResult result = run.runTrial(trial);
            seconds.add((System.nanoTime() - start) / 1e9);
            if (result.status() != TrialStatus.COMPLETED) {
                console.println(TrialLines.outcome(result));
            }
            if (wholeSweep) {
                table.trialFinished();
            }
        }
    }
}

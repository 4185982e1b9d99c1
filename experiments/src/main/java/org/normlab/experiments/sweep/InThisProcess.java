package org.normlab.experiments.sweep;

import com.google.inject.Injector;
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
import org.normlab.engine.TrialRunner;
import org.normlab.experiments.wiring.RunModule;
import org.normlab.experiments.wiring.TrialModule;
import org.normlab.results.ResultStore;
import org.normlab.results.TrialResult;
import org.normlab.results.TrialStatus;

/**
 * Trials one after another in this JVM, each built by its own child injector. A whole sweep
 * numbers trials by their place in the sweep and shows an ETA; a {@code --parallel} worker numbers
 * its own part and leaves results.csv to its parent.
 */
final class InThisProcess implements TrialExecution {

    private final Injector core;
    private final PrintStream console;
    private final String deviceOverride;
    private final boolean wholeSweep;

    InThisProcess(Injector core, PrintStream console, String deviceOverride, boolean wholeSweep) {
        this.core = core;
        this.console = console;
        this.deviceOverride = deviceOverride;
        this.wholeSweep = wholeSweep;
    }

    @Override
    public void run(Sweep sweep, List<Trial> trials, ResultStore store, Progress progress) throws IOException {
        Injector run = core.createChildInjector(new RunModule(sweep.name(), store, progress, deviceOverride));
        List<Double> seconds = new ArrayList<>();
        int total = wholeSweep ? sweep.trials().size() : trials.size();
        for (int i = 0; i < trials.size(); i++) {
            Trial trial = trials.get(i);
            if (Stop.PROCESS.requested()) {
                throw new Stopped(Stop.PROCESS, (trials.size() - i) + " trial(s) not started yet, those before them finished");
            }
            int number = wholeSweep ? trial.index() + 1 : i + 1;
            Duration eta = !wholeSweep || seconds.isEmpty() ? null : Duration.ofSeconds(
                    (long) ((total - trial.index()) * seconds.stream().mapToDouble(d -> d).average().orElse(0)));
            progress.trialStarted(number, total, trial.id(), SweepRunner.settings(trial), eta);
            long start = System.nanoTime();
            TrialResult result = run.createChildInjector(new TrialModule(trial)).getInstance(TrialRunner.class).run();
            seconds.add((System.nanoTime() - start) / 1e9);
            if (result.status() != TrialStatus.COMPLETED) {
                console.println(SweepRunner.outcomeLine(result));
            }
            if (wholeSweep) {
                store.writeResultsCsv(sweep.axes(), sweep.plan());
            }
        }
    }
}

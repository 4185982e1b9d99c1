package org.normlab.experiments.sweep;

import java.io.IOException;
import org.normlab.config.Trial;
import org.normlab.engine.Progress;
import org.normlab.results.ResultStore;
import org.normlab.results.TrialResult;

/**
 * Builds and runs a sweep's trials in this process. The composition root implements it
 * ({@code wiring.TrialInjectors}: a child injector per run, a grandchild per trial), so the
 * sweep code is handed what it needs and never sees the injector.
 */
public interface TrialLauncher {

    /**
     * What every trial of one run shares.
     *
     * @param sweepName the sweep's name, written into each result.json
     * @param store where the trials write their folders
     * @param progress the progress display (also every trial's epoch listener)
     * @param deviceOverride the device of every trial, or null for each trial's own setting
     */
    record RunScope(String sweepName, ResultStore store, Progress progress, String deviceOverride) {}

    /** The trials of one run. */
    @FunctionalInterface
    interface Run {
        /** Builds the trial and runs it into the run's store; its result is also in its result.json. */
        TrialResult runTrial(Trial trial) throws IOException;
    }

    /** Starts a run: what its trials share is built once, here. */
    Run startRun(RunScope scope);
}

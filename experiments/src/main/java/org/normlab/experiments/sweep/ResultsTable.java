package org.normlab.experiments.sweep;

import java.io.IOException;
import org.normlab.config.Sweep;
import org.normlab.results.ResultStore;

/**
 * A run's results.csv, rebuilt from the trials' result.json files by this class only. It is
 * rewritten after each trial this process finishes, so that a run killed at any point leaves a
 * results.csv that matches the trials finished by then (CrashIT kills runs in every phase), and
 * once at the end when nothing rewrote it during the run: the trials ran in worker processes,
 * or none ran (so a rerun repairs a results.csv that a killed run left behind).
 */
final class ResultsTable {

    private final ResultStore store;
    private final Sweep sweep;
    /** Whether this run wrote results.csv since the last result.json it knows of. */
    private boolean current;

    ResultsTable(ResultStore store, Sweep sweep) {
        this.store = store;
        this.sweep = sweep;
    }

    /** A trial wrote its result.json in this process. */
    void trialFinished() throws IOException {
        write();
    }

    /** At the end of a run: writes results.csv unless it already matches every result.json. */
    void bringUpToDate() throws IOException {
        if (!current) {
            write();
        }
    }

    private void write() throws IOException {
        store.writeResultsCsv(sweep.axes(), sweep.plan());
        current = true;
    }
}

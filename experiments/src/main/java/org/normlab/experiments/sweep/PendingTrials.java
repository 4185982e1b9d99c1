package org.normlab.experiments.sweep;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.normlab.config.Sweep;
import org.normlab.config.Trial;
import org.normlab.engine.Progress;
import org.normlab.results.ResultStore;
import org.normlab.results.StaleTrials;

/**
 * The trials a run still has to do, by the {@link SkipRule}: the skipped ones are reported, the
 * stale ones among them also listed in stale.json (removed when none is stale).
 */
final class PendingTrials {

    private final SkipRule rule;
    private final PrintStream console;

    PendingTrials(SkipRule rule, PrintStream console) {
        this.rule = rule;
        this.console = console;
    }

    List<Trial> of(Sweep sweep, ResultStore store, Progress progress) throws IOException {
        List<Trial> pending = new ArrayList<>();
        Map<String, List<String>> stale = new LinkedHashMap<>();
        int total = sweep.trials().size();
        for (Trial trial : sweep.trials()) {
            SkipRule.Decision d = rule.decide(trial, store.read(trial.id()));
            if (d.run()) {
                pending.add(trial);
            } else if (!d.stale()) {
                progress.trialSkipped(trial.index() + 1, total, trial.id(), d.previous().status().id());
            } else {
                stale.put(trial.id(), d.changes());
                console.printf("trial %d/%d %s already %s but %s; skipped (--rerun-stale reruns it)%n",
                        trial.index() + 1, total, trial.id(), d.previous().status().id(), d.describeStale());
            }
        }
        StaleTrials.write(store.dir(), stale);
        if (!stale.isEmpty()) {
            console.printf("%d stale trial(s) skipped: their code changed since they ran; --rerun-stale reruns exactly those%n",
                    stale.size());
        }
        return pending;
    }
}

package org.normlab.experiments.sweep;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.normlab.config.Sweep;
import org.normlab.config.Trial;
import org.normlab.engine.Progress;
import org.normlab.engine.assembly.DataFactory;
import org.normlab.results.ResultStore;

/**
 * {@code --dry-run}: prints the trials, what a run would do with each (by the same
 * {@link SkipRule}), and the time it would take at this machine's {@link MeasuredSpeed}, which
 * it measures by training each distinct network a few steps. Writes nothing.
 */
final class DryRunPlan {

    private final SkipRule rule;
    private final MeasuredSpeed speed;
    private final PrintStream console;

    DryRunPlan(SkipRule rule, MeasuredSpeed speed, PrintStream console) {
        this.rule = rule;
        this.speed = speed;
        this.console = console;
    }

    /**
     * @param shard the shard this run would do, null for the whole sweep
     * @param previous the sweep's folder, read only
     */
    void print(Sweep sweep, Map<String, DataFactory.Shape> shapes, Shard shard, ResultStore previous) {
        printHeader(sweep, shard);
        Duration total = Duration.ZERO;
        Duration checkTotal = Duration.ZERO;
        int stale = 0;
        for (Trial t : sweep.trials()) {
            SkipRule.Decision decision = rule.decide(t, previous.read(t.id()));
            Duration d = Estimate.of(t.config(), shapes.get(t.id()), speed.times(t, shapes.get(t.id())));
            boolean finished = decision.previous() != null && decision.previous().status().isFinished();
            String state = !finished ? ""
                    : "  [" + decision.previous().status() + (decision.stale() ? ", " + decision.describeStale() : "")
                            + (decision.run() ? ", reruns]" : ", skipped]");
            stale += decision.stale() ? 1 : 0;
            if (decision.run()) {
                total = total.plus(d);
                if (t.swept().containsKey("check.budget")) {
                    checkTotal = checkTotal.plus(d);
                }
            }
            console.printf(Locale.ROOT, "  %3d  %s  seed=%d  %s  ~%s%s%n", t.index() + 1, t.id(), t.seed(),
                    TrialLines.settings(t), Progress.format(d), state);
        }
        if (stale > 0) {
            console.printf("%d stale trial(s): their code changed since they ran; %s%n", stale,
                    rule.rerunsStale() ? "--rerun-stale reruns them" : "skipped unless --rerun-stale");
        }
        console.printf("measured on this machine (random inputs, %s):%n", threadsNote());
        for (MeasuredSpeed.Times m : speed.all()) {
            console.printf(Locale.ROOT, "  %-40s batch %4d: %7.0f img/s training, %7.0f img/s eval%n", m.network(),
                    m.batchSize(), m.trainImagesPerSecond(), m.valBatchSize() / m.evalBatchSeconds());
        }
        console.printf("estimated time: ~%s at these speeds, one trial after another%n", Progress.format(total));
        if (!sweep.checkTrials().isEmpty()) {
            console.printf("  of which ~%s main trials and ~%s convergence-check trials%n",
                    Progress.format(total.minus(checkTotal)), Progress.format(checkTotal));
        }
    }

    /** How many trials, of what, and the grid points the sweep's exclude list left out. */
    private void printHeader(Sweep sweep, Shard shard) {
        if (shard != null) {
            console.printf("sweep %s, shard %s: %d trials%n", sweep.name(), shard, sweep.trials().size());
        } else if (sweep.checkTrials().isEmpty()) {
            console.printf("sweep %s: %d trials (%d grid points x %d seeds)%n", sweep.name(), sweep.trials().size(),
                    sweep.trials().size() / sweep.seeds().size(), sweep.seeds().size());
        } else {
            int checks = sweep.checkTrials().size();
            int main = sweep.trials().size() - checks;
            console.printf("sweep %s: %d trials: %d main (%d grid points x %d seeds) + %d convergence check "
                            + "(%d cells x %d seeds at %sx the budget)%n", sweep.name(), sweep.trials().size(), main,
                    main / sweep.seeds().size(), sweep.seeds().size(), checks, checks / sweep.seeds().size(),
                    sweep.seeds().size(), sweep.checkTrials().get(0).swept().get("check.budget"));
        }
        if (!sweep.excluded().isEmpty()) {
            console.printf("excluded %d grid point(s) (x %d seeds):%n", sweep.excluded().size(), sweep.seeds().size());
            sweep.excluded().forEach(x -> console.printf("       %s  (%s)%n", TrialLines.settings(x.point()), x.by()));
        }
    }

    private static String threadsNote() {
        String threads = System.getProperty("ai.djl.pytorch.num_threads");
        return (threads != null ? threads : "default") + " PyTorch thread(s), "
                + Runtime.getRuntime().availableProcessors() + " cores";
    }
}

package org.normlab.experiments.sweep;

import com.google.inject.Injector;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.normlab.results.UserError;
import org.normlab.config.Sweep;
import org.normlab.config.Trial;
import org.normlab.norm.NormRegistry;
import org.normlab.results.FileNames;
import org.normlab.results.StaleTrials;
import org.normlab.results.ResultStore;
import org.normlab.results.TrialResult;
import org.normlab.results.TrialStatus;
import org.normlab.engine.assembly.DataFactory;
import org.normlab.engine.assembly.ModelFactory;
import org.normlab.engine.Progress;

/**
 * Runs a sweep: validates every trial, then runs the trials that have no finished result yet (so a
 * rerun resumes) where the {@link Scale} says ({@link TrialExecution}), and summarizes the run from
 * its files: results.csv, the report, and which trials did not complete.
 */
public final class SweepRunner {

    /** Exit code when every trial completed. */
    public static final int ALL_COMPLETED = 0;
    /** Exit code when some trial diverged or failed. */
    public static final int SOME_NOT_COMPLETED = 3;

    /**
     * @param out the results root; the sweep writes into out/name
     * @param dryRun print the trials and an estimate, train nothing
     * @param device overrides every trial's device when not null
     * @param scale the shard to run and how many trials at once
     * @param rerunStale rerun the finished trials whose provenance changed (else they are skipped and reported)
     */
    public record Options(Path out, boolean dryRun, String device, Scale scale, boolean rerunStale) {
        public Options(Path out, boolean dryRun, String device, Scale scale) {
            this(out, dryRun, device, scale, false);
        }

        public Options(Path out, boolean dryRun, String device) {
            this(out, dryRun, device, Scale.SERIAL);
        }
    }

    private final Injector core;
    private final SweepValidator validator;
    private final PrintStream console;
    private final ReportWriter reports;

    /** Writes the report of a sweep folder (the report package's job). */
    @FunctionalInterface
    public interface ReportWriter {
        Path write(Path sweepDir) throws IOException;
    }

    /**
     * @param core the composition root; each trial run in this process gets a child of it
     * @param validator checks every trial against the plugins, models and data before any trains
     */
    public SweepRunner(Injector core, SweepValidator validator, PrintStream console, ReportWriter reports) {
        this.core = core;
        this.validator = validator;
        this.console = console;
        this.reports = reports;
    }

    public int run(Sweep sweep, Options options) throws IOException {
        Map<String, DataFactory.Shape> shapes = validator.validate(sweep, sweep.locator());
        Sweep whole = sweep;
        sweep = options.scale().select(whole, shapes, console);
        Path dir = options.scale().folder(options.out(), sweep.name());
        if (options.dryRun()) {
            printPlan(sweep, shapes, options.scale().shard(), ResultStore.reading(dir), options.rerunStale());
            return 0;
        }
        try (ResultStore store = ResultStore.open(dir); MachineLock machine = MachineLock.acquire(console)) {
            store.writeSweep(sweep.document(), sweep.plan());
            options.scale().writeShardFile(store, whole, sweep);
            boolean parallel = options.scale().parallel() > 1;
            TrialExecution where = parallel
                    ? new InWorkerProcesses(console, options.scale(), options.device(), shapes)
                    : new InThisProcess(core, console, options.device(), true);
            Progress progress = new Progress(console, !parallel && System.console() != null);
            where.run(sweep, unfinished(sweep, store, progress, options.rerunStale()), store, progress);
            return summarize(sweep, store);
        }
    }

    /**
     * A {@code --parallel} worker: runs exactly {@code trialIds} into the sweep's folder, which
     * its parent has validated, locked and will summarize (results.csv, report).
     *
     * @param dir the sweep's (or shard's) folder, locked by the parent
     * @param device overrides every trial's device when not null
     */
    public int runWorker(Sweep sweep, List<String> trialIds, Path dir, String device) throws IOException {
        Map<String, Trial> byId = sweep.byId();
        for (String id : trialIds) {
            if (!byId.containsKey(id)) {
                throw new UserError("--worker-trials: the sweep has no trial " + id);
            }
        }
        try (ResultStore store = ResultStore.openAsWorker(dir)) {
            List<Trial> trials = trialIds.stream().map(byId::get).toList();
            new InThisProcess(core, console, device, false).run(sweep, trials, store, new Progress(console, false));
            boolean allCompleted = trials.stream()
                    .map(t -> store.read(t.id()))
                    .allMatch(r -> r != null && r.status() == TrialStatus.COMPLETED);
            return allCompleted ? ALL_COMPLETED : SOME_NOT_COMPLETED;
        }
    }

    /** The trials a run still has to do, by the {@link SkipRule}; stale ones it skips are reported and listed in stale.json. */
    private List<Trial> unfinished(Sweep sweep, ResultStore store, Progress progress, boolean rerunStale) throws IOException {
        List<Trial> pending = new ArrayList<>();
        Map<String, List<String>> stale = new LinkedHashMap<>();
        SkipRule rule = new SkipRule(core.getInstance(NormRegistry.class), rerunStale);
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

    /** The outcome of the run, from the files: results.csv, the report, and which trials did not complete. */
    private int summarize(Sweep sweep, ResultStore store) throws IOException {
        int notCompleted = 0;
        List<String> missing = new ArrayList<>();
        for (Trial trial : sweep.trials()) {
            TrialResult r = store.read(trial.id());
            if (r == null) {
                missing.add(trial.id());
                notCompleted++;
            } else if (r.status() != TrialStatus.COMPLETED) {
                notCompleted++;
                console.println(outcomeLine(r));
            }
        }
        if (!missing.isEmpty()) {
            console.printf("  no result for %d trial(s), their worker stopped early (see its output above): %s%n",
                    missing.size(), String.join(", ", missing));
        }
        store.writeResultsCsv(sweep.axes(), sweep.plan());
        Path report = reports.write(store.dir());
        console.printf("results: %s%nreport:  %s%n", store.dir().resolve(FileNames.RESULTS_CSV), report);
        if (notCompleted > 0) {
            console.printf("%d of %d trials did not complete (diverged, failed or no result); see results.csv%n",
                    notCompleted, sweep.trials().size());
            return SOME_NOT_COMPLETED;
        }
        return ALL_COMPLETED;
    }

    /** "  trial ID failed: message" or "  trial ID diverged at epoch N". */
    static String outcomeLine(TrialResult r) {
        return "  trial " + r.trialId() + " " + r.status()
                + (r.error() != null ? ": " + r.error() : r.divergedEpoch() != null ? " at epoch " + r.divergedEpoch() : "");
    }

    private void printPlan(Sweep sweep, Map<String, DataFactory.Shape> shapes, Shard shard, ResultStore previous,
            boolean rerunStale) {
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
            sweep.excluded().forEach(x -> console.printf("       %s  (%s)%n", settings(x.point()), x.by()));
        }
        Duration total = Duration.ZERO;
        Duration checkTotal = Duration.ZERO;
        SkipRule rule = new SkipRule(core.getInstance(NormRegistry.class), rerunStale);
        MeasuredSpeed speed = new MeasuredSpeed(core.getInstance(ModelFactory.class), core.getInstance(NormRegistry.class));
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
            console.printf(Locale.ROOT, "  %3d  %s  seed=%d  %s  ~%s%s%n", t.index() + 1, t.id(), t.seed(), settings(t),
                    Progress.format(d), state);
        }
        if (stale > 0) {
            console.printf("%d stale trial(s): their code changed since they ran; %s%n", stale,
                    rerunStale ? "--rerun-stale reruns them" : "skipped unless --rerun-stale");
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

    private static String threadsNote() {
        String threads = System.getProperty("ai.djl.pytorch.num_threads");
        return (threads != null ? threads : "default") + " PyTorch thread(s), "
                + Runtime.getRuntime().availableProcessors() + " cores";
    }

    static String settings(Trial t) {
        return settings(t.swept());
    }

    private static String settings(Map<String, Object> swept) {
        return swept.entrySet().stream()
                .map(e -> shortKey(e.getKey()) + "=" + e.getValue())
                .collect(Collectors.joining(" "));
    }

    private static String shortKey(String key) {
        String[] parts = key.split("\\.");
        return parts.length >= 2 && parts[parts.length - 1].equals("name") ? parts[parts.length - 2] : parts[parts.length - 1];
    }
}

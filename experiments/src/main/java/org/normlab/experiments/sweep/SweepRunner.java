package org.normlab.experiments.sweep;

import jakarta.inject.Inject;
import jakarta.inject.Provider;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.normlab.results.UserError;
import org.normlab.config.Sweep;
import org.normlab.config.Trial;
import org.normlab.norm.NormRegistry;
import org.normlab.results.ResultStore;
import org.normlab.results.TrialStatus;
import org.normlab.engine.assembly.DataFactory;
import org.normlab.engine.Progress;
import org.normlab.engine.Stop;

/**
 * Runs a sweep: validates every trial, then runs the trials that have no finished result yet (so a
 * rerun resumes: {@link PendingTrials}) where the {@link Scale} says ({@link TrialExecution}), and
 * summarizes the run from its files ({@link SweepSummary}); or, for {@code --dry-run}, prints
 * what it would do ({@link DryRunPlan}). results.csv is kept by one {@link ResultsTable}.
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

    /**
     * What a sweep run takes from the composition root.
     *
     * @param validator checks every trial against the plugins, models and data before any trains
     * @param registry the norms, whose provenance decides which finished trials are stale
     * @param speeds a fresh measurement of this machine's speed, for each {@code --dry-run}
     * @param trials builds and runs the trials that run in this process
     * @param stop the process's stop request (SIGTERM, SIGINT): no trial starts after it
     */
    public record Parts(SweepValidator validator, NormRegistry registry, Provider<MeasuredSpeed> speeds,
            TrialLauncher trials, Stop stop) {
        @Inject
        public Parts {}
    }

    private final Parts parts;
    private final PrintStream console;
    private final ReportWriter reports;

    /** Writes the report of a sweep folder (the report package's job). */
    @FunctionalInterface
    public interface ReportWriter {
        Path write(Path sweepDir) throws IOException;
    }

    public SweepRunner(Parts parts, PrintStream console, ReportWriter reports) {
        this.parts = parts;
        this.console = console;
        this.reports = reports;
    }

    public int run(Sweep sweep, Options options) throws IOException {
        Map<String, DataFactory.Shape> shapes = parts.validator().validate(sweep, sweep.locator());
        Sweep whole = sweep;
        sweep = options.scale().select(whole, shapes, console);
        Path dir = options.scale().folder(options.out(), sweep.name());
        SkipRule rule = new SkipRule(parts.registry(), options.rerunStale());
        if (options.dryRun()) {
            new DryRunPlan(rule, parts.speeds().get(), console).print(sweep, shapes, options.scale().shard(),
                    ResultStore.reading(dir));
            return 0;
        }
        try (ResultStore store = ResultStore.open(dir); MachineLock machine = MachineLock.acquire(console)) {
            store.writeSweep(sweep.document(), sweep.plan());
            options.scale().writeShardFile(store, whole, sweep);
            ResultsTable table = new ResultsTable(store, sweep);
            boolean parallel = options.scale().parallel() > 1;
            TrialExecution where = parallel
                    ? new InWorkerProcesses(console, options.scale(), options.device(), shapes, parts.stop())
                    : InThisProcess.wholeSweep(parts.trials(), console, options.device(), table, parts.stop());
            Progress progress = new Progress(console, !parallel && System.console() != null);
            where.run(sweep, new PendingTrials(rule, console).of(sweep, store, progress), store, progress);
            return new SweepSummary(console, reports).summarize(sweep, store, table);
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
            InThisProcess.worker(parts.trials(), console, device, parts.stop()).run(sweep, trials, store, new Progress(console, false));
            boolean allCompleted = trials.stream()
                    .map(t -> store.read(t.id()))
                    .allMatch(r -> r != null && r.status() == TrialStatus.COMPLETED);
            return allCompleted ? ALL_COMPLETED : SOME_NOT_COMPLETED;
        }
    }
}

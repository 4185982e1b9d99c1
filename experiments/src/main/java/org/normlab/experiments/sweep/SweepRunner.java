package org.normlab.experiments.sweep;

import com.google.inject.Injector;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.normlab.experiments.config.Sweep;
import org.normlab.experiments.config.Trial;
import org.normlab.results.ResultStore;
import org.normlab.results.TrialResult;
import org.normlab.results.TrialStatus;
import org.normlab.experiments.train.DataFactory;
import org.normlab.experiments.train.ModelFactory;
import org.normlab.experiments.train.Progress;
import org.normlab.experiments.train.TrialRunner;
import org.normlab.experiments.wiring.RunModule;
import org.normlab.experiments.wiring.TrialModule;
import org.normlab.norm.NormRegistry;

/**
 * Runs a sweep: validates every trial, then runs the trials that have no result yet (so a rerun
 * resumes), keeps results.csv current and writes the report at the end.
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
     */
    public record Options(Path out, boolean dryRun, String device, Scale scale) {
        public Options(Path out, boolean dryRun, String device) {
            this(out, dryRun, device, Scale.SERIAL);
        }
    }

    private final Injector core;
    private final PrintStream console;
    private final ReportWriter reports;

    /** Writes the report of a sweep folder (the report package's job). */
    @FunctionalInterface
    public interface ReportWriter {
        Path write(Path sweepDir) throws IOException;
    }

    public SweepRunner(Injector core, PrintStream console, ReportWriter reports) {
        this.core = core;
        this.console = console;
        this.reports = reports;
    }

    public int run(Sweep sweep, Options options) throws IOException {
        SweepValidator validator = new SweepValidator(
                core.getInstance(NormRegistry.class), core.getInstance(DataFactory.class), core.getInstance(ModelFactory.class));
        Map<String, DataFactory.Shape> shapes = validator.validate(sweep, sweep.locator());
        Sweep whole = sweep;
        sweep = options.scale().select(whole, shapes, console);
        if (options.dryRun()) {
            printPlan(sweep, shapes, options.scale().shard());
            return 0;
        }
        Path dir = options.scale().folder(options.out(), sweep.name());
        try (ResultStore store = ResultStore.open(dir)) {
            store.writeSweep(sweep.document(), sweep.plan());
            options.scale().writeShardFile(store, whole, sweep);
            if (options.scale().parallel() > 1) {
                return new ParallelRunner(console, reports, options.scale(), options.device()).run(sweep, store, shapes);
            }
            Progress progress = new Progress(console, System.console() != null);
            Injector run = core.createChildInjector(new RunModule(sweep.name(), store, progress, options.device()));
            List<Double> seconds = new ArrayList<>();
            int notCompleted = 0;
            int total = sweep.trials().size();
            for (Trial trial : sweep.trials()) {
                TrialResult previous = store.read(trial.id());
                if (previous != null && previous.status().isFinished()) {
                    progress.trialSkipped(trial.index() + 1, total, trial.id(), previous.status().id());
                    notCompleted += previous.status() == TrialStatus.COMPLETED ? 0 : 1;
                    continue;
                }
                int remaining = total - trial.index();
                Duration eta = seconds.isEmpty() ? null
                        : Duration.ofSeconds((long) (remaining * seconds.stream().mapToDouble(d -> d).average().orElse(0)));
                progress.trialStarted(trial.index() + 1, total, trial.id(), settings(trial), eta);
                long start = System.nanoTime();
                TrialResult result = run.createChildInjector(new TrialModule(trial)).getInstance(TrialRunner.class).run();
                seconds.add((System.nanoTime() - start) / 1e9);
                if (result.status() != TrialStatus.COMPLETED) {
                    notCompleted++;
                    console.printf("  trial %s %s%s%n", trial.id(), result.status(),
                            result.error() != null ? ": " + result.error()
                                    : result.divergedEpoch() != null ? " at epoch " + result.divergedEpoch() : "");
                }
                store.writeResultsCsv(sweep.axes(), sweep.plan());
            }
            store.writeResultsCsv(sweep.axes(), sweep.plan());
            Path report = reports.write(dir);
            console.printf("results: %s%nreport:  %s%n", dir.resolve("results.csv"), report);
            if (notCompleted > 0) {
                console.printf("%d of %d trials did not complete (diverged or failed); see results.csv%n", notCompleted, total);
                return SOME_NOT_COMPLETED;
            }
            return ALL_COMPLETED;
        }
    }

    private void printPlan(Sweep sweep, Map<String, DataFactory.Shape> shapes, Shard shard) {
        if (shard != null) {
            console.printf("sweep %s, shard %s: %d trials%n", sweep.name(), shard, sweep.trials().size());
        } else {
            console.printf("sweep %s: %d trials (%d grid points x %d seeds)%n", sweep.name(), sweep.trials().size(),
                    sweep.trials().size() / sweep.seeds().size(), sweep.seeds().size());
        }
        Duration total = Duration.ZERO;
        for (Trial t : sweep.trials()) {
            Duration d = Estimate.of(t.config(), shapes.get(t.id()));
            total = total.plus(d);
            console.printf(Locale.ROOT, "  %3d  %s  seed=%d  %s  ~%s%n", t.index() + 1, t.id(), t.seed(), settings(t), Progress.format(d));
        }
        console.printf("estimated time: ~%s on 2 CPU cores (rough: +/- a factor of 2)%n", Progress.format(total));
    }

    static String settings(Trial t) {
        return t.swept().entrySet().stream()
                .map(e -> shortKey(e.getKey()) + "=" + e.getValue())
                .collect(Collectors.joining(" "));
    }

    private static String shortKey(String key) {
        String[] parts = key.split("\\.");
        return parts.length >= 2 && parts[parts.length - 1].equals("name") ? parts[parts.length - 2] : parts[parts.length - 1];
    }
}

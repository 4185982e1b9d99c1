package org.normlab.experiments.cli;

import com.google.inject.Injector;
import java.io.IOException;
import java.util.List;
import org.normlab.config.Sweep;
import org.normlab.config.SweepLoader;
import org.normlab.report.Reports;
import org.normlab.experiments.sweep.Scale;
import org.normlab.experiments.sweep.SweepRunner;
import org.normlab.engine.Stop;
import org.normlab.engine.Stopped;
import org.normlab.engine.assembly.DataFactory;

/** Loads a sweep file with its overrides and runs it through the composition root. */
final class RunSweep {

    private final CommonOptions common;
    private final RunOptions options;
    /**
     * The process's stop request: the signal handlers set it; the sweep runner and the trial
     * runner (both given it by the core injector) honour it.
     */
    private final Stop stop = new Stop();

    RunSweep(CommonOptions common, RunOptions options) {
        this.common = common;
        this.options = options;
    }

    int run() throws IOException {
        if (!options.dryRun) {
            Signals.install(stop, System.err); // before the engine loads: a JVM shutdown then could crash it
        }
        Scale scale = options.scale(new WorkerProcesses(options, common));
        options.applyThreads();
        Injector core = common.coreInjector(stop);
        Sweep sweep = SweepLoader.load(options.sweep, options.sets, core.getInstance(DataFactory.class).names());
        NativeEngine.require();
        List<String> workerTrials = options.workerTrialIds();
        SweepRunner runner = new SweepRunner(core.getInstance(SweepRunner.Parts.class), System.out,
                dir -> Reports.write(List.of(dir), dir.resolve("report")));
        try {
            int exit;
            if (workerTrials != null) {
                exit = runner.runWorker(sweep, workerTrials, scale.folder(options.out, sweep.name()), options.device);
            } else {
                if (!options.dryRun) {
                    System.out.println(DoctorCommand.summary());
                }
                exit = runner.run(sweep, new SweepRunner.Options(options.out, options.dryRun, options.device, scale,
                        options.rerunStale));
            }
            if (stop.requested()) {
                throw new Stopped(stop, "every trial had finished, nothing to resume", false);
            }
            return exit;
        } catch (Stopped e) {
            System.out.println(e.getMessage());
            System.out.flush();
            return e.exitCode();
        }
    }
}

package org.normlab.experiments.cli;

import com.google.inject.Guice;
import com.google.inject.Injector;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.normlab.experiments.config.Sweep;
import org.normlab.experiments.config.SweepLoader;
import org.normlab.experiments.report.Reports;
import org.normlab.experiments.sweep.SweepRunner;
import org.normlab.experiments.wiring.CoreModule;

/** Loads a sweep file with its overrides and runs it through the composition root. */
final class RunSweep {

    private final CommonOptions common;
    private final Path out;
    private final boolean dryRun;
    private final String device;

    RunSweep(CommonOptions common, Path out, boolean dryRun, String device) {
        this.common = common;
        this.out = out;
        this.dryRun = dryRun;
        this.device = device;
    }

    int run(Path file, List<String> sets) throws IOException {
        Sweep sweep = SweepLoader.load(file, sets);
        Injector core = Guice.createInjector(new CoreModule(common.registry()));
        SweepRunner runner = new SweepRunner(core, System.out, dir -> Reports.write(List.of(dir), dir.resolve("report")));
        return runner.run(sweep, new SweepRunner.Options(out, dryRun, device));
    }
}

package org.normlab.experiments.cli;

import java.util.concurrent.Callable;
import org.normlab.results.UserError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code run SWEEP.yaml [options]}: the same as the bare {@code experiments.jar SWEEP.yaml}, spelled out. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs a sweep (the same as `experiments.jar SWEEP.yaml`): every trial without a result, "
                + "or one shard of them (--shard i/n), one at a time or N at once (--parallel N)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every trial completed (or nothing to run)", "2:bad input: the message says what and where",
                "3:some trial diverged or failed"})
final class RunCommand implements Callable<Integer> {

    @Mixin RunOptions run;

    @Mixin CommonOptions common;

    @Override
    public Integer call() throws Exception {
        if (run.sweep == null) {
            throw new UserError("run: give the sweep file, e.g. run sweeps/smoke.yaml");
        }
        return new RunSweep(common, run).run();
    }
}

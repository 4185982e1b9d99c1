package org.normlab.experiments.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.normlab.data.DatasetException;
import org.normlab.results.UserError;
import org.normlab.report.ReportCommand;
import org.normlab.norm.NormConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code java -jar experiments.jar SWEEP.yaml [options]} runs a sweep; subcommands list norms,
 * verify a norm against a fixture, count parameters, report and benchmark.
 */
@Command(name = "experiments.jar", mixinStandardHelpOptions = true, version = "NormLab 0.1.0",
        description = {"NormLab: normalization-layer experiments on DJL.",
                "Run a sweep:  java -jar experiments.jar [run] SWEEP.yaml [--dry-run] [--set key=value]... [--out DIR]",
                "              [--shard i/n] [--parallel N] [--threads T] [--device DEVICE]"},
        subcommands = {NormsCommand.class, VerifyNormCommand.class, ParamsCommand.class, BenchCommand.class,
                ReportCommand.class, RunCommand.class, MergeCommand.class, K8sJobCommand.class, SlurmCommand.class,
                DoctorCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every trial completed (or nothing to run)", "1:a check failed (verify-norm, report --baseline)",
                "2:bad input: the message says what and where", "3:some trial diverged or failed"})
public class Main implements Callable<Integer> {

    static final int BAD_INPUT = 2;

    @Mixin RunOptions run;

    @Mixin CommonOptions common;

    @Override
    public Integer call() throws Exception {
        if (run.sweep == null) {
            new CommandLine(this).usage(System.out);
            return BAD_INPUT;
        }
        return new RunSweep(common, run).run();
    }

    public static void main(String[] args) {
        Logging.configure(List.of(args).contains("--verbose"));
        MallocTuning.applyAndLog();
        System.exit(execute(args));
    }

    /** Runs the CLI and returns its exit code (for tests). */
    public static int execute(String... args) {
        Logging.configure(List.of(args).contains("--verbose"));
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            boolean verbose = List.of(parseResult.originalArgs().toArray(new String[0])).contains("--verbose");
            PrintWriter err = commandLine.getErr();
            if (isUserError(e)) {
                err.println("error: " + e.getMessage());
                if (verbose) {
                    e.printStackTrace(err);
                }
                err.flush();
                return BAD_INPUT;
            }
            err.println("internal error: " + e);
            if (verbose) {
                e.printStackTrace(err);
            } else {
                err.println("(run again with --verbose for the stack trace)");
            }
            err.flush();
            return 1;
        });
        return cli.execute(args);
    }

    static boolean isUserError(Throwable e) {
        return e instanceof UserError || e instanceof NormConfigException || e instanceof DatasetException;
    }
}

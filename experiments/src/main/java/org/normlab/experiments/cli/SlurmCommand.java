package org.normlab.experiments.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.normlab.results.UserError;
import org.normlab.config.Sweep;
import org.normlab.experiments.launch.SlurmScript;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code slurm SWEEP.yaml --shards n}: prints an sbatch script that runs the sweep's shards as a job array. */
@Command(name = "slurm", mixinStandardHelpOptions = true,
        description = {"Prints an sbatch script that runs a sweep as a Slurm job array of n tasks: task i runs "
                + "`run SWEEP --shard i/n` (i = SLURM_ARRAY_TASK_ID, array 0..n-1). Paths are made absolute: the sweep "
                + "file, --out and the jar must be on a file system every node sees.",
                "With plugins (--plugins DIR, or plugins/ here) every task loads them from DIR's absolute path.",
                "Submit it with `sbatch FILE`; when every task is done, `merge OUT/<sweep>` combines the shards."})
final class SlurmCommand implements Callable<Integer> {

    @Mixin Launchers launch;

    @Mixin CommonOptions common;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "runs", description = "results root on the shared file system (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--partition", paramLabel = "NAME", description = "#SBATCH --partition")
    String partition;

    @Option(names = "--time", paramLabel = "LIMIT", description = "#SBATCH --time per task, e.g. 24:00:00")
    String time;

    @Option(names = "--mem", paramLabel = "SIZE", description = "#SBATCH --mem per task, e.g. 16G")
    String memory;

    @Option(names = "--account", paramLabel = "NAME", description = "#SBATCH --account")
    String account;

    @Option(names = "--cpus-per-task", paramLabel = "C", defaultValue = "4",
            description = "#SBATCH --cpus-per-task; trials get C (or C/G) threads (default: ${DEFAULT-VALUE})")
    int cpusPerTask;

    @Option(names = "--gpus-per-task", paramLabel = "G", defaultValue = "0",
            description = "#SBATCH --gpus-per-task; with G > 1 each task runs --parallel G (default: ${DEFAULT-VALUE})")
    int gpusPerTask;

    @Option(names = "--max-running", paramLabel = "K", description = "at most K tasks at once (--array=0-(n-1)%%K)")
    Integer maxRunning;

    @Option(names = "--sbatch", paramLabel = "OPTION", description = "another #SBATCH option (repeatable), e.g. --sbatch=--qos=long")
    List<String> extra = new ArrayList<>();

    @Option(names = "--jar", paramLabel = "PATH", description = "the fat jar on the cluster (default: this jar)")
    Path jar;

    @Override
    public Integer call() throws IOException {
        Sweep loaded = launch.load(common);
        Path plugins = common.pluginsFolder();
        SlurmScript script = SlurmScript.builder()
                .sweep(loaded.name(), launch.sweep.toAbsolutePath().normalize().toString())
                .shards(launch.shards).out(out.toAbsolutePath().normalize().toString()).jar(jarPath())
                .partition(partition).time(time).memory(memory).account(account).cpusPerTask(cpusPerTask)
                .gpusPerTask(gpusPerTask).maxRunning(maxRunning).extra(extra).device(launch.device).sets(launch.sets)
                .plugins(plugins == null ? null : plugins.toAbsolutePath().normalize().toString()).rerunStale(launch.rerunStale)
                .javaOptions(launch.javaOptions).gracePeriod(launch.gracePeriod)
                .build();
        launch.noteIdleShards(loaded, "tasks");
        launch.emit(script.text(), "script");
        return 0;
    }

    /** --jar, else the jar this command runs from. */
    private String jarPath() {
        if (jar != null) {
            return jar.toAbsolutePath().normalize().toString();
        }
        String classPath = System.getProperty("java.class.path");
        if (classPath.endsWith(".jar") && !classPath.contains(java.io.File.pathSeparator)) {
            return Path.of(classPath).toAbsolutePath().normalize().toString();
        }
        throw new UserError("slurm: give --jar PATH: the fat jar's path on the cluster");
    }
}

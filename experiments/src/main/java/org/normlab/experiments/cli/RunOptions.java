package org.normlab.experiments.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.normlab.results.UserError;
import org.normlab.config.DeviceName;
import org.normlab.experiments.sweep.Scale;
import org.normlab.experiments.sweep.Shard;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The options of a sweep run, shared by the bare form {@code experiments.jar SWEEP.yaml} and {@code run}. */
public class RunOptions {

    static final String THREADS_PROPERTY = "ai.djl.pytorch.num_threads";
    static final String INTEROP_THREADS_PROPERTY = "ai.djl.pytorch.num_interop_threads";

    @Parameters(index = "0", arity = "0..1", paramLabel = "SWEEP.yaml", description = "the sweep file to run")
    Path sweep;

    @Option(names = "--dry-run", description = "check the sweep and print its trials with a time estimate; train nothing")
    boolean dryRun;

    @Option(names = "--rerun-stale",
            description = "rerun the finished trials whose norm plugins or NormLab changed since they ran (stale); "
                    + "without it they are skipped and listed")
    boolean rerunStale;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "override a setting (repeatable): --set epochs=2 --set data.train_subset=5000 --set grid.model.depth=[20]")
    List<String> sets = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", description = "results root (default: ${DEFAULT-VALUE}); results go to DIR/<sweep name>/")
    Path out = Path.of("runs");

    @Option(names = "--device", paramLabel = "DEVICE", description = "auto, cpu, gpu or gpu:N for every trial (default: each trial's setting)")
    String device;

    @Option(names = "--shard", paramLabel = "i/n",
            description = {"run only shard i of n (0 <= i < n) of the sweep's trials: a fixed, cost-balanced part, the same "
                    + "on every machine; the shard writes DIR/<sweep name>/shard-i-of-n/. Combine the shards with `merge`.",
                    "Kubernetes' JOB_COMPLETION_INDEX and Slurm's SLURM_ARRAY_TASK_ID (array 0..n-1) are such i."})
    String shard;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "1",
            description = {"run N trials at once, each in a worker process of its own (default: ${DEFAULT-VALUE}); "
                    + "with GPUs worker k uses GPU k mod GPUs, on CPU each worker gets cores/N threads (see --threads)"})
    int parallel;

    @Option(names = "--threads", paramLabel = "T",
            description = {"PyTorch CPU threads per trial (default: PyTorch's, all cores; with --parallel N: cores/N). "
                    + "CPU results are bitwise repeatable for the same T, not across different T."})
    Integer threads;

    /** Set by a --parallel parent for its workers: the trials to run, comma-separated. */
    @Option(names = "--worker-trials", hidden = true, paramLabel = "IDS")
    String workerTrials;

    /** Checks the options and makes the shard, parallel and thread settings one {@link Scale}. */
    Scale scale(org.normlab.experiments.sweep.InWorkerProcesses.Workers workers) {
        DeviceName.checkOption(device);
        if (parallel < 1) {
            throw new UserError("--parallel " + parallel + ": must be at least 1");
        }
        if (threads != null && threads < 1) {
            throw new UserError("--threads " + threads + ": must be at least 1");
        }
        if (workerTrials != null && parallel > 1) {
            throw new UserError("--worker-trials is internal to --parallel and cannot be combined with it");
        }
        Shard s = shard == null ? null : Shard.parse(shard);
        Integer perTrial = threads != null ? threads : threadsProperty();
        Scale.checkCores(parallel, perTrial, Runtime.getRuntime().availableProcessors());
        return new Scale(s, parallel, perTrial, workers);
    }

    /** The worker's trial ids, or null when this is not a worker. */
    List<String> workerTrialIds() {
        return workerTrials == null ? null : Arrays.stream(workerTrials.split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).toList();
    }

    /**
     * Applies --threads to PyTorch; it reads these properties once, when the engine loads, which
     * is after the sweep file is read.
     */
    void applyThreads() {
        if (threads != null) {
            System.setProperty(THREADS_PROPERTY, threads.toString());
            System.setProperty(INTEROP_THREADS_PROPERTY, "1");
        }
    }

    /** -Dai.djl.pytorch.num_threads given to this JVM, which the workers then keep. */
    private static Integer threadsProperty() {
        return Integer.getInteger(THREADS_PROPERTY);
    }
}

package org.normlab.experiments.cli;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.normlab.experiments.sweep.InWorkerProcesses;

/**
 * Starts {@code --parallel} workers: this JVM's java with its JVM options and class path, running
 * {@code run} with the parent's sweep options, a device, a thread count and the worker's trials.
 */
final class WorkerProcesses implements InWorkerProcesses.Workers {

    private final RunOptions options;
    private final CommonOptions common;

    WorkerProcesses(RunOptions options, CommonOptions common) {
        this.options = options;
        this.common = common;
    }

    @Override
    public Process start(List<String> trialIds, String device, int threads) throws IOException {
        return new ProcessBuilder(command(trialIds, device, threads)).start();
    }

    List<String> command(List<String> trialIds, String device, int threads) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions(ManagementFactory.getRuntimeMXBean().getInputArguments()));
        cmd.add("-D" + RunOptions.THREADS_PROPERTY + "=" + threads);
        cmd.add("-D" + RunOptions.INTEROP_THREADS_PROPERTY + "=1");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Main.class.getName());
        cmd.add("run");
        cmd.add(options.sweep.toString());
        cmd.add("--out");
        cmd.add(options.out.toString());
        for (String set : options.sets) {
            cmd.add("--set");
            cmd.add(set);
        }
        if (options.shard != null) {
            cmd.add("--shard");
            cmd.add(options.shard);
        }
        if (device != null) {
            cmd.add("--device");
            cmd.add(device);
        }
        if (common.plugins != null) {
            cmd.add("--plugins");
            cmd.add(common.plugins.toString());
        }
        if (common.verbose) {
            cmd.add("--verbose");
        }
        cmd.add("--worker-trials");
        cmd.add(String.join(",", trialIds));
        return cmd;
    }

    /** The parent's JVM options, less a debugger's port (taken) and the thread settings (replaced). */
    static List<String> jvmOptions(List<String> parent) {
        return parent.stream()
                .filter(a -> !a.startsWith("-agentlib:jdwp") && !a.startsWith("-Xrunjdwp"))
                .filter(a -> !a.startsWith("-D" + RunOptions.THREADS_PROPERTY + "=")
                        && !a.startsWith("-D" + RunOptions.INTEROP_THREADS_PROPERTY + "="))
                .toList();
    }
}

package org.normlab.experiments.sweep;

import ai.djl.engine.Engine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.normlab.config.Sweep;
import org.normlab.config.Trial;
import org.normlab.results.ResultStore;
import org.normlab.engine.assembly.DataFactory;
import org.normlab.engine.Progress;
import org.normlab.engine.Stop;
import org.normlab.engine.Stopped;
import org.normlab.engine.assembly.Devices;

/**
 * {@code --parallel N}: runs the sweep's unfinished trials in N worker processes at once. DJL's
 * PyTorch gradient collector is one per process, so trials cannot train side by side in one
 * JVM; each worker is a JVM of its own, running a fixed, cost-balanced part of the trials
 * ({@link Shard#balance}) into the sweep's folder, whose lock this process holds. With GPUs,
 * worker k gets GPU k mod (number of GPUs); on CPU the cores are split between the workers.
 *
 * <p>A trial's numbers do not depend on which process runs it or on what ran before it there,
 * so the results equal a serial run's with the same CPU threads per trial (PyTorch's CPU
 * kernels sum in an order that depends on the number of threads).
 */
public final class InWorkerProcesses implements TrialExecution {

    /** Starts the worker processes. */
    @FunctionalInterface
    public interface Workers {
        /**
         * Starts a worker that runs exactly {@code trialIds} of the same sweep into the same
         * folder.
         *
         * @param device the device of every trial, or null for each trial's own setting
         * @param threads the PyTorch CPU threads of the worker
         */
        Process start(List<String> trialIds, String device, int threads) throws IOException;
    }

    private final PrintStream console;
    private final Scale scale;
    private final String deviceOverride;
    private final Map<String, DataFactory.Shape> shapes;
    private final Stop stop;

    InWorkerProcesses(PrintStream console, Scale scale, String deviceOverride, Map<String, DataFactory.Shape> shapes,
            Stop stop) {
        this.console = console;
        this.scale = scale;
        this.deviceOverride = deviceOverride;
        this.shapes = shapes;
        this.stop = stop;
    }

    /** Splits the trials by estimated cost over the workers and waits for them all. */
    @Override
    public void run(Sweep sweep, List<Trial> pending, ResultStore store, Progress progress) throws IOException {
        if (pending.isEmpty()) {
            return;
        }
        int n = Math.min(scale.parallel(), pending.size());
        List<List<Trial>> parts = Shard.balance(pending, t -> Scale.estimate(t, shapes).toMillis(), n);
        int threads = threadsPerWorker(scale.threads(), Runtime.getRuntime().availableProcessors(), scale.parallel());
        String requested = deviceOverride != null ? deviceOverride : commonDevice(sweep);
        int gpus = needsGpuCount(requested) ? gpuCount(requested) : 0;
        console.printf("running %d trial(s) in %d worker processes, %d CPU thread(s) each: %s%n", pending.size(), n, threads,
                describe(parts));
        List<Process> processes = new CopyOnWriteArrayList<>();
        List<Thread> pipes = new ArrayList<>();
        Thread killer = new Thread(() -> processes.forEach(Process::destroy));
        Runtime.getRuntime().addShutdownHook(killer);
        // SIGTERM / SIGINT here: each worker gets SIGTERM, saves its trial and exits; this waits
        Runnable forwarding = stop.onRequest(() -> processes.forEach(InWorkerProcesses::passStop));
        try {
            for (int k = 0; k < n; k++) {
                String device = deviceFor(k, requested, gpus);
                List<String> ids = parts.get(k).stream().map(Trial::id).toList();
                Process p = scale.workers().start(ids, device, threads);
                processes.add(p);
                if (stop.requested()) {
                    passStop(p);
                }
                String prefix = "[w" + (k + 1) + "] ";
                pipes.add(pipe(p.getInputStream(), console, prefix));
                pipes.add(pipe(p.getErrorStream(), System.err, prefix));
            }
            for (int k = 0; k < processes.size(); k++) {
                int exit = processes.get(k).waitFor();
                boolean stopped = stop.requested() && (exit == 143 || exit == 130);
                if (exit != SweepRunner.ALL_COMPLETED && exit != SweepRunner.SOME_NOT_COMPLETED && !stopped) {
                    console.printf("worker w%d exited with code %d%n", k + 1, exit);
                }
            }
            for (Thread t : pipes) {
                t.join();
            }
            if (stop.requested()) {
                throw new Stopped(stop, "the workers saved their trials (their lines above)");
            }
        } catch (InterruptedException e) {
            processes.forEach(Process::destroy);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the workers", e);
        } catch (IOException | RuntimeException e) {
            processes.forEach(Process::destroy);
            throw e;
        } finally {
            forwarding.run();
            try {
                Runtime.getRuntime().removeShutdownHook(killer);
            } catch (IllegalStateException e) {
                // The JVM is shutting down: the hook stops the workers.
            }
        }
    }

    /**
     * Sends a worker SIGTERM, on which it stops as this process does. Always SIGTERM: a worker
     * started from a background shell ignores SIGINT. Through the process handle, since
     * {@link Process#destroy} also closes the pipes, losing the worker's last lines.
     */
    static void passStop(Process worker) {
        worker.toHandle().destroy();
    }

    /** CPU threads per worker: as asked, else the cores split evenly (at least 1). */
    static int threadsPerWorker(Integer asked, int cores, int parallel) {
        return asked != null ? asked : Math.max(1, cores / parallel);
    }

    /**
     * The device of worker {@code k}: {@code auto} and {@code gpu} spread the workers over the
     * GPUs; {@code cpu} and {@code gpu:N} stay as they are; null (trials differ) stays null.
     */
    static String deviceFor(int k, String requested, int gpus) {
        if (requested == null || gpus <= 0 || !needsGpuCount(requested)) {
            return requested;
        }
        return "gpu:" + (k % gpus);
    }

    private static boolean needsGpuCount(String requested) {
        return "auto".equals(requested) || "gpu".equals(requested);
    }

    /** The GPUs DJL sees; asking for "gpu" without any fails here, before any worker starts. */
    private static int gpuCount(String requested) {
        if ("gpu".equals(requested)) {
            Devices.resolve(requested);
        }
        return Engine.getInstance().getGpuCount();
    }

    /** The device setting all trials share, or null when they differ. */
    private static String commonDevice(Sweep sweep) {
        List<String> devices = sweep.trials().stream().map(t -> t.config().device()).distinct().toList();
        return devices.size() == 1 ? devices.get(0) : null;
    }

    private String describe(List<List<Trial>> parts) {
        List<String> each = new ArrayList<>();
        for (int k = 0; k < parts.size(); k++) {
            each.add(String.format("w%d %d trial(s) ~%s", k + 1, parts.get(k).size(),
                    Progress.format(Scale.total(parts.get(k), shapes))));
        }
        return each.stream().collect(Collectors.joining(", "));
    }

    /** Copies a worker's output line by line, each line marked with the worker. */
    private static Thread pipe(InputStream in, PrintStream out, String prefix) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (out) {
                        out.println(prefix + line);
                    }
                }
            } catch (IOException e) {
                // The worker is gone; its exit code tells.
            }
        }, "worker-output " + prefix.trim());
        t.setDaemon(true);
        t.start();
        return t;
    }
}

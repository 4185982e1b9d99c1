package org.normlab.experiments.launch;

import java.util.ArrayList;
import java.util.List;
import org.normlab.results.UserError;

/**
 * The settings both launchers take (their builders extend this): how many shards, what every
 * shard passes on, the JVM's options and how long it has between SIGTERM and the kill.
 *
 * @param <B> the launcher's own builder
 */
public abstract class LaunchBuilder<B extends LaunchBuilder<B>> {

    int shards;
    String device;
    String plugins;
    boolean rerunStale;
    List<String> sets = List.of();
    List<String> javaOptions = List.of();
    int gracePeriod = 60;

    abstract B self();

    public B shards(int shards) {
        this.shards = shards;
        return self();
    }

    /** --device for every trial, or null for the sweep's own. */
    public B device(String device) {
        this.device = device;
        return self();
    }

    /**
     * The plugins folder where the shards run (Slurm: the shared path the command was given;
     * Kubernetes: the folder inside the pod), or null when no plugins are used.
     */
    public B plugins(String folder) {
        this.plugins = folder;
        return self();
    }

    /** Whether every shard reruns the finished trials whose norm plugins or NormLab changed (--rerun-stale). */
    public B rerunStale(boolean rerunStale) {
        this.rerunStale = rerunStale;
        return self();
    }

    /** --set overrides every shard passes on. */
    public B sets(List<String> sets) {
        this.sets = List.copyOf(sets);
        return self();
    }

    /** JVM options after {@link JvmOptions#defaults()}, e.g. -Xmx16g (the later -Xmx wins) or -Dai.djl.offline=false. */
    public B javaOptions(List<String> options) {
        this.javaOptions = List.copyOf(options);
        return self();
    }

    /**
     * Seconds the JVM has between SIGTERM and the kill: Slurm's {@code --signal=B:TERM@S} before
     * the time limit, Kubernetes' {@code terminationGracePeriodSeconds}.
     */
    public B gracePeriod(int seconds) {
        this.gracePeriod = seconds;
        return self();
    }

    /** NormLab's JVM options, then the user's. */
    List<String> jvmOptions() {
        List<String> all = new ArrayList<>(JvmOptions.defaults());
        all.addAll(javaOptions);
        return all;
    }

    /** What a shard runs, given where it finds the sweep and writes results, and its GPUs and CPUs. */
    ShardInvocation invocation(String sweepPath, String out, int gpus, Integer cpus) {
        return new ShardInvocation(sweepPath, shards, out, sets, device, plugins, rerunStale, gpus, cpus);
    }

    /** Checks the settings of this class. */
    void checkShared() {
        if (shards < 1) {
            throw new UserError("--shards " + shards + ": must be at least 1");
        }
        if (gracePeriod < 1) {
            throw new UserError("--grace-period " + gracePeriod + ": must be at least 1 (seconds)");
        }
    }
}

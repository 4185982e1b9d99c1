package org.normlab.experiments.launch;

import java.util.ArrayList;
import java.util.List;

/**
 * What one shard of a launched sweep runs: {@code run SWEEP --shard INDEX/n --out OUT} with the
 * sweep's overrides, the device, the plugins folder, {@code --rerun-stale}, {@code --parallel G}
 * for G > 1 GPUs and {@code --threads C/G}.
 * The scheduler fills in INDEX (Slurm's array task id, Kubernetes' completion index).
 *
 * @param sweepPath the sweep file where the shard runs
 * @param shards n
 * @param out the results root where the shard runs
 * @param sets the --set overrides, in order
 * @param device --device for every trial, or null for the sweep's own
 * @param plugins the plugins folder where the shard runs, or null for none
 * @param rerunStale pass --rerun-stale: rerun the finished trials whose code changed
 * @param gpus GPUs per shard (0: none)
 * @param cpus CPUs per shard, or null to leave --threads to PyTorch
 */
public record ShardInvocation(String sweepPath, int shards, String out, List<String> sets, String device,
        String plugins, boolean rerunStale, int gpus, Integer cpus) {

    public ShardInvocation {
        sets = List.copyOf(sets);
    }

    /** The value of --shard, with the scheduler's index expression in it. */
    public String shardValue(String index) {
        return index + "/" + shards;
    }

    /** The jar's arguments, {@code run} first. */
    public List<String> arguments(String index) {
        List<String> args = new ArrayList<>(List.of("run", sweepPath, "--shard", shardValue(index), "--out", out));
        for (String set : sets) {
            args.add("--set");
            args.add(set);
        }
        if (device != null) {
            args.add("--device");
            args.add(device);
        }
        if (plugins != null) {
            args.add("--plugins");
            args.add(plugins);
        }
        if (rerunStale) {
            args.add("--rerun-stale");
        }
        if (gpus > 1) {
            args.add("--parallel");
            args.add(String.valueOf(gpus));
        }
        if (cpus != null) {
            args.add("--threads");
            args.add(String.valueOf(Math.max(1, cpus / Math.max(1, gpus))));
        }
        return args;
    }
}

package org.normlab.experiments.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.normlab.results.UserError;
import org.normlab.config.DeviceName;
import org.normlab.config.Sweep;
import org.normlab.config.SweepLoader;
import org.normlab.engine.assembly.DataFactory;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * What k8s-job and slurm share (a picocli mixin): the sweep and its shards, what every shard
 * passes on, the JVM and signal settings, and where the generated text goes. The plugins folder
 * is {@link CommonOptions}' --plugins, as for {@code run}.
 */
final class Launchers {

    @Parameters(index = "0", paramLabel = "SWEEP.yaml", description = "the sweep file (checked here)")
    Path sweep;

    @Option(names = "--shards", required = true, paramLabel = "n", description = "number of shards (array tasks or pods)")
    int shards;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a setting (repeatable); every shard gets the same --set")
    List<String> sets = new ArrayList<>();

    @Option(names = "--device", paramLabel = "DEVICE", description = "auto, cpu, gpu or gpu:N for every trial (default: the sweep's)")
    String device;

    @Option(names = "--rerun-stale",
            description = "every shard reruns the finished trials whose norm plugins or NormLab changed since they ran "
                    + "(stale); without it they are skipped and listed")
    boolean rerunStale;

    @Option(names = "--java-option", paramLabel = "OPT",
            description = "JVM option after bin/normlab's (-Xmx6g -Xmn64m -XX:MaxDirectMemorySize=1g), repeatable; "
                    + "e.g. -Xmx16g (the last -Xmx wins)")
    List<String> javaOptions = new ArrayList<>();

    @Option(names = "--grace-period", paramLabel = "S", defaultValue = "60",
            description = "seconds between SIGTERM and the kill: Slurm's --signal=B:TERM@S before --time, Kubernetes' "
                    + "terminationGracePeriodSeconds (default: ${DEFAULT-VALUE})")
    int gracePeriod;

    @Option(names = "--file", paramLabel = "FILE", description = "write to FILE instead of printing")
    Path file;

    /** The sweep with its overrides, checked as `run` checks it (datasets of the plugins included), and the --device. */
    Sweep load(CommonOptions common) throws IOException {
        Sweep loaded = SweepLoader.load(sweep, sets, common.coreInjector().getInstance(DataFactory.class).names());
        DeviceName.checkOption(device);
        return loaded;
    }

    /** Says so when some shards will have no trial. */
    void noteIdleShards(Sweep loaded, String shardWord) {
        int trials = loaded.trials().size();
        if (shards > trials) {
            System.err.printf("note: %d shards for %d trials: %d %s will have nothing to do%n",
                    shards, trials, shards - trials, shardWord);
        }
    }

    /** Prints the text, or writes it to --file. */
    void emit(String text, String what) {
        if (file == null) {
            System.out.print(text);
            System.out.flush();
            return;
        }
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserError("cannot write the " + what + " to " + file + ": " + e.getMessage());
        }
        System.err.println(what + " written to " + file);
    }
}

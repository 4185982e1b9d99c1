package org.normlab.experiments.sweep;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.normlab.results.UserError;
import org.normlab.config.Sweep;
import org.normlab.config.Trial;
import org.normlab.results.AtomicFiles;
import org.normlab.results.ResultStore;
import org.normlab.engine.assembly.DataFactory;
import org.normlab.engine.Progress;

/**
 * How one run of a sweep is spread out: which {@link Shard} of the sweep it runs (all of it when
 * null) and how many trials it runs at once in worker processes ({@link InWorkerProcesses}).
 *
 * <p>A shard writes its own folder, {@code OUT/<sweep name>/shard-i-of-n/}, holding the usual
 * result files for its trials (trials.json lists the shard's trials) and {@code shard.json},
 * which names the shard and lists every trial of the sweep so that {@code merge} can tell a
 * missing shard from a finished one.
 *
 * @param shard the part of the sweep to run, or null for all of it
 * @param parallel trials at once (1: in this process, one after another)
 * @param threads CPU threads per trial for the workers, or null for cores / parallel
 * @param workers starts the worker processes; needed when parallel > 1
 */
public record Scale(Shard shard, int parallel, Integer threads, InWorkerProcesses.Workers workers) {

    /**
     * Refuses a run that would put more PyTorch threads than cores to work: {@code parallel}
     * trials at once of {@code threads} threads each (1 each when threads is null, since the
     * workers then split the cores). It refuses rather than lowering the threads because CPU
     * results are bitwise repeatable for the same thread count only.
     *
     * @throws UserError saying how many threads would run on how many cores and what fits
     */
    public static void checkCores(int parallel, Integer threads, int cores) {
        if (parallel > cores) {
            throw new UserError(String.format("--parallel %d: more trials at once than this machine's %d cores "
                    + "would oversubscribe them (every trial at least 1 thread); use --parallel %d or fewer", parallel, cores, cores));
        }
        if (threads != null && (long) parallel * threads > cores) {
            throw new UserError(String.format("--parallel %d x --threads %d = %d PyTorch threads on this machine's %d cores "
                    + "would oversubscribe them; use --threads %d or fewer%s", parallel, threads, (long) parallel * threads, cores,
                    cores / parallel, parallel > 1 ? " (or leave --threads out: the workers then split the cores)" : ""));
        }
    }

    /** The whole sweep, one trial at a time. */
    public static final Scale SERIAL = new Scale(null, 1, null, null);

    public static final String SHARD_FILE = org.normlab.results.FileNames.SHARD;

    /** {@code out/name}, or {@code out/name/shard-i-of-n} for a shard. */
    public Path folder(Path out, String sweepName) {
        Path dir = out.resolve(sweepName);
        return shard == null ? dir : dir.resolve(shard.folderName());
    }

    /**
     * The sweep restricted to this run's shard (numbered from 0 again), or the sweep itself.
     * Prints which part of the sweep the shard runs.
     */
    public Sweep select(Sweep sweep, Map<String, DataFactory.Shape> shapes, PrintStream console) {
        if (shard == null) {
            return sweep;
        }
        List<List<Trial>> parts = Shard.balance(sweep.trials(), t -> estimate(t, shapes).toMillis(), shard.count());
        List<Trial> mine = parts.get(shard.index());
        List<Trial> renumbered = new ArrayList<>();
        for (Trial t : mine) {
            renumbered.add(new Trial(t.id(), renumbered.size(), t.seed(), t.swept(), t.config(), t.resolved(), t.origins()));
        }
        console.printf("shard %s runs %d of the sweep's %d trials (estimated time of the %d shards: %s)%n",
                shard, mine.size(), sweep.trials().size(), shard.count(),
                parts.stream().map(p -> "~" + Progress.format(total(p, shapes))).collect(Collectors.joining(", ")));
        return sweep.withTrials(renumbered);
    }

    /** Writes shard.json into a shard's folder (nothing for a whole-sweep run). */
    public void writeShardFile(ResultStore store, Sweep whole, Sweep part) throws IOException {
        if (shard == null) {
            return;
        }
        ObjectNode doc = JsonNodeFactory.instance.objectNode();
        doc.put("shard", shard.index());
        doc.put("shards", shard.count());
        ArrayNode ids = doc.putArray("trial_ids");
        part.trials().forEach(t -> ids.add(t.id()));
        doc.set("sweep_trials", ResultStore.planJson(whole.plan()));
        AtomicFiles.write(store.dir().resolve(SHARD_FILE), ResultStore.JSON.writeValueAsBytes(doc));
    }

    static Duration estimate(Trial t, Map<String, DataFactory.Shape> shapes) {
        return Estimate.of(t.config(), shapes.get(t.id()));
    }

    static Duration total(List<Trial> trials, Map<String, DataFactory.Shape> shapes) {
        return trials.stream().map(t -> estimate(t, shapes)).reduce(Duration.ZERO, Duration::plus);
    }
}

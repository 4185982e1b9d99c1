package org.normlab.experiments.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.normlab.config.Sweep;
import org.normlab.config.SweepLoader;
import org.normlab.config.Trial;
import org.normlab.engine.Progress;
import org.normlab.engine.Stop;
import org.normlab.results.FileNames;
import org.normlab.results.ResultStore;
import org.normlab.results.TrialResult;
import org.normlab.results.TrialStatus;

/**
 * Trials run in this process through a {@link TrialLauncher} (here one that only writes a
 * result, no injector): results.csv always matches the trials finished so far, so a run killed
 * before any trial has the rows of those before it; a worker leaves results.csv to its parent;
 * the end of a run writes results.csv only when nothing has since the last result.
 */
class InThisProcessTest {

    private static final String SWEEP = String.join("\n",
            "name: three",
            "data:",
            "  name: synthetic",
            "  batch_size: 8",
            "  synthetic: {classes: 3, channels: 1, size: 8, train: 16, val: 8}",
            "model: {name: cifar_resnet, depth: 8}",
            "grid:",
            "  norm.name: [bn, gn, iebn]",
            "");

    @TempDir Path dir;

    private final Sweep sweep = SweepLoader.parse("s.yaml", SWEEP, List.of());
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream console = new PrintStream(printed, true, StandardCharsets.UTF_8);
    /** For each trial the launcher ran: the data rows results.csv had when it started. */
    private final List<Integer> rowsAtStart = new ArrayList<>();
    private final List<TrialLauncher.RunScope> scopes = new ArrayList<>();

    /** Writes a result as a trial would: the middle one fails. */
    private TrialLauncher launcher() {
        return scope -> {
            scopes.add(scope);
            return trial -> {
                rowsAtStart.add(rows());
                TrialStatus status = trial.index() == 1 ? TrialStatus.FAILED : TrialStatus.COMPLETED;
                TrialResult r = new TrialResult(trial.id(), scope.sweepName(), status, trial.seed(), trial.swept(), null,
                        null, List.of(), null, status == TrialStatus.FAILED ? "boom" : null, "cpu", 1, "now", null);
                scope.store().writeResult(r);
                return r;
            };
        };
    }

    private int rows() throws IOException {
        Path csv = dir.resolve(FileNames.RESULTS_CSV);
        return Files.exists(csv) ? Files.readAllLines(csv).size() - 1 : -1;
    }

    @Test
    void aWholeSweepRewritesResultsCsvAfterEachTrialAndNotAgainAtTheEnd() throws Exception {
        assertEquals(3, sweep.trials().size());
        try (ResultStore store = ResultStore.open(dir)) {
            ResultsTable table = new ResultsTable(store, sweep);
            InThisProcess.wholeSweep(launcher(), console, "cpu", table, new Stop())
                    .run(sweep, sweep.trials(), store, new Progress(console, false));
            assertEquals(List.of(-1, 1, 2), rowsAtStart, "results.csv when each trial started");
            assertEquals(3, rows());
            assertEquals(1, scopes.size(), "one run scope for the run");
            assertEquals(new TrialLauncher.RunScope("three", store, scopes.get(0).progress(), "cpu"), scopes.get(0));

            Files.delete(dir.resolve(FileNames.RESULTS_CSV));
            table.bringUpToDate();
            assertFalse(Files.exists(dir.resolve(FileNames.RESULTS_CSV)), "no second write of the same results");
        }
        String out = printed.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("  trial " + sweep.trials().get(1).id() + " failed: boom\n"), out);
        assertTrue(out.contains("trial 3/3 " + sweep.trials().get(2).id()), out);
    }

    @Test
    void aRunThatRanNothingHereWritesResultsCsvOnceAtTheEnd() throws Exception {
        try (ResultStore store = ResultStore.open(dir)) {
            for (Trial t : sweep.trials().subList(0, 2)) {
                store.writeResult(new TrialResult(t.id(), "three", TrialStatus.COMPLETED, t.seed(), t.swept(), null, null,
                        List.of(), null, null, "cpu", 1, "now", null));
            }
            ResultsTable table = new ResultsTable(store, sweep);
            table.bringUpToDate();
            assertEquals(2, rows(), "repaired from the result.json files");
        }
    }

    @Test
    void aWorkerLeavesResultsCsvToItsParentAndNumbersItsOwnPart() throws Exception {
        try (ResultStore store = ResultStore.open(dir)) {
            List<Trial> part = sweep.trials().subList(1, 3);
            InThisProcess.worker(launcher(), console, null, new Stop()).run(sweep, part, store, new Progress(console, false));
            assertEquals(List.of(-1, -1), rowsAtStart);
            assertEquals(-1, rows());
            assertEquals(null, scopes.get(0).deviceOverride());
        }
        String out = printed.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("trial 1/2 " + sweep.trials().get(1).id()), out);
        assertTrue(out.contains("trial 2/2 " + sweep.trials().get(2).id()), out);
    }
}

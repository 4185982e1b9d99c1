package org.normlab.experiments.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.normlab.report.SweepData;
import org.normlab.results.Conflict;

/**
 * {@code merge} and {@code report} are given the same folders and must judge the copies of each
 * trial the same: equal once timings are left out, a conflict otherwise, with the same difference.
 */
class SameConflictRuleTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path tmp;

    /** A result.json written by hand, with the fields RESULTS-FORMAT.md lists. */
    private static ObjectNode result(String id, double finalValAcc, double epoch1ValAcc, double imgPerSec) {
        ObjectNode r = JSON.createObjectNode();
        r.put("trial_id", id).put("sweep", "rule").put("status", "completed").put("seed", 1);
        r.putObject("swept").put("norm.name", id);
        r.putObject("config").put("seed", 1);
        r.putObject("metrics").put("final_val_acc", finalValAcc).put("best_val_acc", finalValAcc)
                .put("train_img_s", imgPerSec).put("wall_s", 1000 / imgPerSec).put("epochs_completed", 2);
        r.putArray("history").addObject().put("epoch", 1).put("val_acc", epoch1ValAcc).put("epoch_s", 1000 / imgPerSec);
        r.withArray("history").addObject().put("epoch", 2).put("val_acc", finalValAcc).put("epoch_s", 1000 / imgPerSec);
        r.put("device", "cpu").put("rss_mb", imgPerSec * 2).put("finished_at", "2026-12-01T00:00:0" + (int) imgPerSec % 10 + "Z");
        return r;
    }

    private Path folder(String name, List<ObjectNode> results) throws Exception {
        Path dir = tmp.resolve(name);
        Files.createDirectories(dir);
        var plan = JSON.createArrayNode();
        for (String id : List.of("timings", "history", "metric")) {
            plan.addObject().put("trial_id", id).put("seed", 1).putObject("swept").put("norm.name", id);
        }
        JSON.writeValue(dir.resolve("trials.json").toFile(), plan);
        for (ObjectNode r : results) {
            Files.createDirectories(dir.resolve(r.get("trial_id").asText()));
            JSON.writeValue(dir.resolve(r.get("trial_id").asText()).resolve("result.json").toFile(), r);
        }
        return dir;
    }

    @Test
    void mergeAndReportFindTheSameConflicts() throws Exception {
        Path a = folder("a", List.of(result("timings", 0.7, 0.5, 100), result("history", 0.7, 0.5, 100),
                result("metric", 0.7, 0.5, 100)));
        Path b = folder("b", List.of(
                result("timings", 0.7, 0.5, 300), // only run-dependent fields differ: the same result
                result("history", 0.7, 0.25, 100), // same final numbers, another run: a conflict
                result("metric", 0.75, 0.5, 100)));
        List<Path> folders = List.of(a, b);

        List<Conflict> byMerge = ShardMerge.read(folders, tmp.resolve("merged")).conflicts();
        SweepData byReport = SweepData.load(folders);

        assertEquals(2, byMerge.size(), byMerge.toString());
        assertEquals(byMerge, byReport.conflicts());
        assertEquals("history", byMerge.get(0).trialId());
        assertEquals("history[0].val_acc 0.5 vs 0.25", byMerge.get(0).difference());
        assertEquals(List.of(a.resolve("history/result.json"), b.resolve("history/result.json")), byMerge.get(0).files());
        assertEquals("metrics.final_val_acc 0.7 vs 0.75", byMerge.get(1).difference());
        assertEquals(List.of("timings"), byReport.results().stream().map(r -> r.trialId()).toList());
        assertEquals(1, byReport.duplicates(), "the copies that agree count once");
    }
}

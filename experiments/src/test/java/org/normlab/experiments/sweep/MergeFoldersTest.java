package org.normlab.experiments.sweep;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.normlab.results.UserError;
import org.normlab.results.Conflict;
import org.normlab.results.TrialCopies;

/** merge: shard folders into one folder laid out like an unsharded run; duplicates, conflicts, gaps. */
class MergeFoldersTest {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private static final String SWEEP_YAML = "name: merge\nsource: sweeps/merge.yaml\nseeds:\n- 1\n- 2\n"
            + "grid:\n  norm.name:\n  - bn\n  - iebn\nbase:\n  epochs: 1\n";

    private record T(String id, long seed, String norm) {}

    private static final T BN1 = new T("aa01", 1, "bn");
    private static final T BN2 = new T("bb02", 2, "bn");
    private static final T IEBN1 = new T("cc03", 1, "iebn");
    private static final T IEBN2 = new T("dd04", 2, "iebn");
    private static final List<T> PLAN = List.of(BN1, BN2, IEBN1, IEBN2);

    @TempDir Path tmp;

    /** Trials whose id starts so are convergence-check trials (swept check.budget: 2). */
    private static final String CHECK_PREFIX = "ck";

    @Test
    void checkTrialsKeepTheirCheckBudgetColumnInTheMergedResultsCsv() throws Exception {
        Path sweepDir = tmp.resolve("runs/merge");
        T check = new T("ck05", 1, "bn");
        List<T> plan = List.of(BN1, BN2, IEBN1, IEBN2, check);
        Path a = sweepDir.resolve("shard-0-of-2");
        Path b = sweepDir.resolve("shard-1-of-2");
        writeShardFiles(a, 0, 2, List.of(BN1, IEBN1, check), plan);
        writeShardFiles(b, 1, 2, List.of(BN2, IEBN2), plan);
        result(a, BN1, "completed", 0.5, 10.0);
        result(a, IEBN1, "completed", 0.75, 11.0);
        result(a, check, "completed", 0.875, 14.0);
        result(b, BN2, "completed", 0.625, 12.0);
        result(b, IEBN2, "completed", 0.25, 13.0);

        ShardMerge.read(ShardFolders.expand(List.of(sweepDir)), sweepDir).write(sweepDir);
        assertEquals(List.of(
                "trial_id,status,seed,norm.name,check.budget,final_val_acc,best_val_acc,final_train_acc,final_val_loss,params,train_img_s,wall_s",
                "aa01,completed,1,bn,,0.5,0.5,0.875,1.25,1000,500.0,10.0",
                "bb02,completed,2,bn,,0.625,0.625,0.875,1.25,1000,500.0,12.0",
                "cc03,completed,1,iebn,,0.75,0.75,0.875,1.25,1000,500.0,11.0",
                "dd04,completed,2,iebn,,0.25,0.25,0.875,1.25,1000,500.0,13.0",
                "ck05,completed,1,bn,2,0.875,0.875,0.875,1.25,1000,500.0,14.0"),
                Files.readAllLines(sweepDir.resolve("results.csv")));
    }

    @Test
    void shardsMergeIntoOneFolderLikeAnUnshardedRun() throws Exception {
        Path sweepDir = tmp.resolve("runs/merge");
        Path a = shard(sweepDir, 0, 2, List.of(BN1, IEBN1));
        Path b = shard(sweepDir, 1, 2, List.of(BN2, IEBN2));
        result(a, BN1, "completed", 0.5, 10.0);
        result(a, IEBN1, "completed", 0.75, 11.0);
        result(b, BN2, "completed", 0.625, 12.0);
        result(b, IEBN2, "diverged", 0.25, 13.0);

        List<Path> folders = ShardFolders.expand(List.of(sweepDir));
        assertEquals(List.of(a, b), folders, "a sweep folder stands for its shard folders");
        assertEquals(sweepDir.toAbsolutePath(), ShardFolders.defaultOut(folders));
        ShardMerge merge = ShardMerge.read(folders, sweepDir);
        assertEquals(List.of(), merge.conflicts());
        ShardMerge.Summary s = merge.write(sweepDir);

        assertEquals(4, s.planned());
        assertEquals(Map.of("completed", 3, "diverged", 1), s.byStatus());
        assertEquals(List.of(), s.missing());
        assertEquals(0, s.duplicates());
        assertEquals(List.of(), s.notes());
        // The plan in the sweep's order, not the shards': what an unsharded run writes.
        assertEquals(reread(plan(PLAN)), JSON.readTree(sweepDir.resolve("trials.json").toFile()));
        assertEquals(SWEEP_YAML, Files.readString(sweepDir.resolve("sweep.yaml")));
        for (T t : PLAN) {
            Path from = (t == BN1 || t == IEBN1 ? a : b).resolve(t.id());
            Path to = sweepDir.resolve(t.id());
            for (String file : List.of("result.json", "metrics.csv", "config.yaml", "checkpoints/final.params")) {
                assertArrayEquals(Files.readAllBytes(from.resolve(file)), Files.readAllBytes(to.resolve(file)), t.id() + "/" + file);
            }
        }
        assertEquals(List.of(
                "trial_id,status,seed,norm.name,final_val_acc,best_val_acc,final_train_acc,final_val_loss,params,train_img_s,wall_s",
                "aa01,completed,1,bn,0.5,0.5,0.875,1.25,1000,500.0,10.0",
                "bb02,completed,2,bn,0.625,0.625,0.875,1.25,1000,500.0,12.0",
                "cc03,completed,1,iebn,0.75,0.75,0.875,1.25,1000,500.0,11.0",
                "dd04,diverged,2,iebn,0.25,0.25,0.875,1.25,1000,500.0,13.0"),
                Files.readAllLines(sweepDir.resolve("results.csv")));
        assertFalse(Files.exists(sweepDir.resolve(Scale.SHARD_FILE)), "the merged folder is not a shard");
    }

    @Test
    void copiesThatDifferOnlyInTimingsCountOnce() throws Exception {
        Path sweepDir = tmp.resolve("runs/merge");
        Path a = shard(sweepDir, 0, 2, List.of(BN1, IEBN1));
        Path b = shard(sweepDir, 1, 2, List.of(BN2, IEBN2));
        result(a, BN1, "completed", 0.5, 10.0);
        result(b, BN1, "completed", 0.5, 99.0); // ran twice: other wall time, speed and finish time
        ObjectNode copy = (ObjectNode) JSON.readTree(b.resolve("aa01/result.json").toFile());
        ((ObjectNode) copy.get("metrics")).put("train_img_s", 123.0);
        ((ObjectNode) copy.get("history").get(0)).put("epoch_s", 7.5).put("train_img_s", 123.0);
        copy.put("finished_at", "2030-01-01T00:00:00Z");
        JSON.writeValue(b.resolve("aa01/result.json").toFile(), copy);

        ShardMerge merge = ShardMerge.read(ShardFolders.expand(List.of(sweepDir)), sweepDir);
        assertEquals(List.of(), merge.conflicts());
        ShardMerge.Summary s = merge.write(sweepDir);
        assertEquals(1, s.duplicates());
        assertEquals(Map.of("completed", 1), s.byStatus());
        assertEquals(List.of("bb02", "cc03", "dd04"), s.missing());
        assertArrayEquals(Files.readAllBytes(a.resolve("aa01/result.json")), Files.readAllBytes(sweepDir.resolve("aa01/result.json")),
                "the first folder's copy is kept");

        // Merging again into the same folder changes nothing and finds no new duplicates.
        byte[] csv = Files.readAllBytes(sweepDir.resolve("results.csv"));
        ShardMerge.Summary again = ShardMerge.read(ShardFolders.expand(List.of(sweepDir)), sweepDir).write(sweepDir);
        assertEquals(1, again.duplicates());
        assertArrayEquals(csv, Files.readAllBytes(sweepDir.resolve("results.csv")));
    }

    @Test
    void copiesThatDifferInAResultAreAConflictAndNothingIsWritten() throws Exception {
        Path sweepDir = tmp.resolve("runs/merge");
        Path a = shard(sweepDir, 0, 2, List.of(BN1, IEBN1));
        Path b = shard(sweepDir, 1, 2, List.of(BN2, IEBN2));
        result(a, BN1, "completed", 0.5, 10.0);
        result(b, BN1, "completed", 0.5625, 10.0);
        result(a, IEBN1, "completed", 0.75, 10.0);
        result(b, IEBN1, "failed", 0.75, 10.0);

        ShardMerge merge = ShardMerge.read(ShardFolders.expand(List.of(sweepDir)), sweepDir);
        List<Conflict> conflicts = merge.conflicts();
        assertEquals(2, conflicts.size());
        assertEquals("aa01", conflicts.get(0).trialId());
        assertEquals("metrics.final_val_acc 0.5 vs 0.5625", conflicts.get(0).difference());
        assertEquals(List.of(a.resolve("aa01/result.json"), b.resolve("aa01/result.json")), conflicts.get(0).files());
        assertEquals("status \"completed\" vs \"failed\"", conflicts.get(1).difference());
        assertThrows(IllegalStateException.class, () -> merge.write(sweepDir));
        assertFalse(Files.exists(sweepDir.resolve("trials.json")));
    }

    @Test
    void aMissingShardIsNamedAndItsTrialsListed() throws Exception {
        Path sweepDir = tmp.resolve("runs/merge");
        Path c = shard(sweepDir, 2, 3, List.of(IEBN1));
        result(c, IEBN1, "completed", 0.75, 10.0);
        Path out = tmp.resolve("merged");
        assertNull(ShardFolders.defaultOut(List.of(c, tmp)), "not all shards of one folder: --out is needed");
        ShardMerge.Summary s = ShardMerge.read(List.of(c), out).write(out);
        assertEquals(List.of("aa01", "bb02", "dd04"), s.missing());
        assertEquals(List.of("shard(s) 0/3, 1/3 not among the folders"), s.notes());
        assertEquals(reread(plan(PLAN)), JSON.readTree(out.resolve("trials.json").toFile()), "shard.json holds the whole plan");
    }

    @Test
    void foldersOfDifferentSweepsAreRefused() throws Exception {
        Path a = shard(tmp.resolve("one/merge"), 0, 2, List.of(BN1, IEBN1));
        Path b = tmp.resolve("two/merge/shard-1-of-2");
        writeShardFiles(b, 1, 2, List.of(BN2), List.of(BN1, BN2, IEBN1)); // a different plan: other --set
        UserError e = assertThrows(UserError.class, () -> ShardMerge.read(List.of(a, b), tmp.resolve("out")));
        assertTrue(e.getMessage().contains("hold different sweeps") && e.getMessage().contains("4 vs 3 planned trials"),
                e.getMessage());
    }

    @Test
    void anOutputFolderOfAnotherSweepIsRefused() throws Exception {
        Path a = shard(tmp.resolve("runs/merge"), 0, 1, PLAN);
        Path out = tmp.resolve("other");
        Files.createDirectories(out);
        JSON.writeValue(out.resolve("trials.json").toFile(), plan(List.of(BN1)));
        UserError e = assertThrows(UserError.class, () -> ShardMerge.read(List.of(a), out));
        assertTrue(e.getMessage().contains("already holds the results of another sweep"), e.getMessage());
    }

    @Test
    void aFolderThatIsNoResultFolderIsAClearError() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        UserError e = assertThrows(UserError.class, () -> ShardMerge.read(List.of(empty), tmp.resolve("out")));
        assertTrue(e.getMessage().contains("is not a sweep's result folder: it has no trials.json"), e.getMessage());
        UserError missing = assertThrows(UserError.class, () -> ShardFolders.expand(List.of(tmp.resolve("nope"))));
        assertTrue(missing.getMessage().contains("no such folder"), missing.getMessage());
        Path a = shard(tmp.resolve("runs/merge"), 0, 1, PLAN);
        UserError same = assertThrows(UserError.class, () -> ShardMerge.read(List.of(a), a));
        assertTrue(same.getMessage().contains("both an input and the output"), same.getMessage());
    }

    @Test
    void shardFoldersAreOrderedByCountThenIndex() throws Exception {
        Path sweepDir = tmp.resolve("runs/merge");
        Path s10 = shard(sweepDir, 10, 11, List.of());
        Path s2 = shard(sweepDir, 2, 11, List.of());
        Path t0 = shard(sweepDir, 0, 2, List.of());
        assertEquals(List.of(t0, s2, s10), ShardFolders.expand(List.of(sweepDir)));
    }

    @Test
    void firstDifferenceNamesThePath() {
        JsonNode x = JSON.createObjectNode().set("history", JSON.createArrayNode().add(JSON.createObjectNode().put("val_acc", 0.5)));
        JsonNode y = JSON.createObjectNode().set("history", JSON.createArrayNode().add(JSON.createObjectNode().put("val_acc", 0.25)));
        assertEquals("history[0].val_acc 0.5 vs 0.25", TrialCopies.firstDifference("", x, y));
        assertEquals("history has 1 vs 0 entries",
                TrialCopies.firstDifference("", x, JSON.createObjectNode().set("history", JSON.createArrayNode())));
        assertEquals("error (none) vs \"boom\"",
                TrialCopies.firstDifference("", JSON.createObjectNode(), JSON.createObjectNode().put("error", "boom")));
        assertNull(TrialCopies.firstDifference("", x, x.deepCopy()));
    }

    private Path shard(Path sweepDir, int i, int n, List<T> mine) throws IOException {
        Path dir = sweepDir.resolve("shard-" + i + "-of-" + n);
        writeShardFiles(dir, i, n, mine, PLAN);
        return dir;
    }

    private static void writeShardFiles(Path dir, int i, int n, List<T> mine, List<T> plan) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("sweep.yaml"), SWEEP_YAML);
        JSON.writeValue(dir.resolve("trials.json").toFile(), plan(mine));
        ObjectNode shard = JSON.createObjectNode().put("shard", i).put("shards", n);
        ArrayNode ids = shard.putArray("trial_ids");
        mine.forEach(t -> ids.add(t.id()));
        shard.set("sweep_trials", plan(plan));
        JSON.writeValue(dir.resolve("shard.json").toFile(), shard);
    }

    /** As read back from a file: small numbers become ints, as in every JSON file read. */
    private static JsonNode reread(JsonNode node) throws IOException {
        return JSON.readTree(JSON.writeValueAsBytes(node));
    }

    private static ArrayNode plan(List<T> trials) {
        ArrayNode rows = JSON.createArrayNode();
        for (T t : trials) {
            ObjectNode row = rows.addObject().put("trial_id", t.id()).put("seed", t.seed());
            ObjectNode swept = row.putObject("swept").put("norm.name", t.norm());
            if (t.id().startsWith(CHECK_PREFIX)) {
                swept.put("check.budget", 2);
            }
        }
        return rows;
    }

    /** A result.json as TrialRunner writes it, with metrics.csv, config.yaml and a checkpoint beside it. */
    private static void result(Path dir, T t, String status, double acc, double wall) throws IOException {
        Path trial = Files.createDirectories(dir.resolve(t.id()));
        ObjectNode r = JSON.createObjectNode();
        r.put("trial_id", t.id()).put("sweep", "merge").put("status", status).put("seed", t.seed());
        ObjectNode swept = r.putObject("swept").put("norm.name", t.norm());
        if (t.id().startsWith(CHECK_PREFIX)) {
            swept.put("check.budget", 2);
        }
        r.putObject("config").put("epochs", 1).putObject("norm").put("name", t.norm());
        r.putObject("metrics").put("final_val_acc", acc).put("best_val_acc", acc).put("best_epoch", 1)
                .put("final_train_acc", 0.875).put("final_val_loss", 1.25).put("params", 1000)
                .put("train_img_s", 500.0).put("wall_s", wall).put("epochs_completed", 1);
        r.putArray("history").addObject().put("epoch", 1).put("lr", 0.1).put("train_loss", 1.5).put("train_acc", 0.875)
                .put("val_loss", 1.25).put("val_acc", acc).put("train_img_s", 500.0).put("epoch_s", wall);
        r.putNull("diverged_epoch");
        r.putNull("error");
        r.put("device", "cpu()").put("finished_at", "2026-11-28T01:02:03Z");
        JSON.writeValue(trial.resolve("result.json").toFile(), r);
        Files.writeString(trial.resolve("metrics.csv"), "epoch,lr\n1," + acc + "\n");
        Files.writeString(trial.resolve("config.yaml"), "norm:\n  name: " + t.norm() + "\n");
        Files.createDirectories(trial.resolve("checkpoints"));
        Files.write(trial.resolve("checkpoints/final.params"), new byte[] {1, 2, 3, (byte) t.seed()});
    }
}

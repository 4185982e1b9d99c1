package org.normlab.report;

import org.normlab.results.Conflict;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.normlab.report.SweepFixture.history;
import static org.normlab.report.SweepFixture.metrics;
import static org.normlab.report.SweepFixture.swept;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several result folders of one sweep: duplicates count once, disagreements are conflicts. */
class ShardMergeTest {

    @TempDir Path tmp;

    /** Two shards of a bn/iebn sweep, seeds 1-2; shard B also holds a copy of shard A's first trial. */
    private void writeShards(double copyOfA1) {
        for (String shard : List.of("a", "b")) {
            SweepFixture f = new SweepFixture(tmp.resolve(shard), "merge");
            for (String norm : List.of("bn", "iebn")) {
                for (int seed = 1; seed <= 2; seed++) {
                    f.plan(norm + seed, seed, swept("norm.name", norm));
                }
            }
            f.writePlan(Map.of("norm.name", List.of("bn", "iebn")), List.of(1, 2));
        }
        SweepFixture a = new SweepFixture(tmp.resolve("a"), "merge");
        a.result("bn1", 1, swept("norm.name", "bn"), "completed", metrics(0.70, 0.71, 0.8, 0.5, 10, 1), history(3, 0.7, 0));
        a.result("iebn1", 1, swept("norm.name", "iebn"), "completed", metrics(0.75, 0.76, 0.8, 0.5, 12, 1), history(3, 0.75, 0));
        SweepFixture b = new SweepFixture(tmp.resolve("b"), "merge");
        b.result("bn2", 2, swept("norm.name", "bn"), "completed", metrics(0.74, 0.75, 0.8, 0.5, 10, 1), history(3, 0.74, 0));
        b.result("iebn2", 2, swept("norm.name", "iebn"), "completed", metrics(0.79, 0.80, 0.8, 0.5, 12, 1), history(3, 0.79, 0));
        b.result("bn1", 1, swept("norm.name", "bn"), "completed", metrics(copyOfA1, 0.71, 0.8, 0.5, 10, 1), history(3, 0.7, 0));
    }

    @Test
    void identicalCopiesCountOnce() {
        writeShards(0.70);
        Report report = Reports.build(List.of(tmp.resolve("a"), tmp.resolve("b")));
        assertFalse(report.hasConflicts());
        assertEquals(1, report.data().duplicates());
        assertEquals(4, report.planned(), "the same plan in both shards counts once");
        assertEquals(4, report.completed());
        assertEquals(0, report.missing());
        Summary bn = report.row(new Settings(Map.of("norm.name", SweepFixture.JSON.getNodeFactory().textNode("bn"))))
                .summary(Metric.FINAL_VAL_ACC);
        assertEquals(2, bn.n(), "bn1 is not counted twice");
        assertEquals(0.72, bn.mean(), 1e-12);
        assertEquals(Math.sqrt(0.0008), bn.std(), 1e-12);

        CommandRunner r = CommandRunner.run(tmp.resolve("a").toString(), tmp.resolve("b").toString());
        assertEquals(0, r.exitCode, r.toString());
        assertTrue(Files.isRegularFile(tmp.resolve("a/report/report.html")), "default report folder: first DIR/report");
    }

    @Test
    void differingCopiesAreAConflictAndFailTheCommand() throws Exception {
        writeShards(0.71);
        Report report = Reports.build(List.of(tmp.resolve("a"), tmp.resolve("b")));
        assertTrue(report.hasConflicts());
        Conflict c = report.data().conflicts().get(0);
        assertEquals("bn1", c.trialId());
        assertTrue(c.difference().contains("final_val_acc 0.7 vs 0.71"), c.difference());
        assertEquals(3, report.completed(), "neither copy of the conflicting trial is counted");
        assertEquals(0, report.missing(), "a conflicting trial is not missing");

        Path out = tmp.resolve("out");
        CommandRunner r = CommandRunner.run(tmp.resolve("a").toString(), tmp.resolve("b").toString(),
                "--out", out.toString(), "--write-baseline", tmp.resolve("base.json").toString());
        assertEquals(ReportCommand.EXIT_CONFLICT, r.exitCode, r.toString());
        assertTrue(r.err.contains("bn1") && r.err.contains("different results"), r.err);
        assertFalse(Files.exists(tmp.resolve("base.json")), "no baseline from conflicting data");
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("Conflicting trials") && md.contains("| bn1 |"), md);
    }

    @Test
    void foldersOfDifferentSweepsAreRefused() {
        writeShards(0.70);
        new SweepFixture(tmp.resolve("c"), "other")
                .result("x", 1, swept("norm.name", "bn"), "completed", metrics(0.7, 0.7, 0.7, 0.5, 10, 1), null);
        CommandRunner r = CommandRunner.run(tmp.resolve("a").toString(), tmp.resolve("c").toString());
        assertTrue(r.thrown instanceof org.normlab.results.UserError, r.toString());
        assertTrue(r.thrown.getMessage().contains("different sweeps [merge, other]"), r.thrown.getMessage());
    }
}

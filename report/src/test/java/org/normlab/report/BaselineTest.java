package org.normlab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.normlab.results.UserError;

/** --write-baseline / --baseline through picocli, with exit codes, on {@link NormSweep}. */
class BaselineTest {

    @TempDir Path tmp;
    Path sweep;
    Path baseline;

    @BeforeEach
    void writeBaseline() {
        sweep = tmp.resolve("sweep");
        NormSweep.write(sweep);
        baseline = tmp.resolve("baseline.json");
        CommandRunner r = run("--write-baseline", baseline.toString());
        assertEquals(0, r.exitCode, r.toString());
    }

    private CommandRunner run(String... options) {
        String[] args = new String[options.length + 3];
        args[0] = sweep.toString();
        args[1] = "--out";
        args[2] = tmp.resolve("report").toString();
        System.arraycopy(options, 0, args, 3, options.length);
        return CommandRunner.run(args);
    }

    /** The bn/64 group of the baseline file. */
    private ObjectNode group(JsonNode root, String norm, int bs) {
        for (JsonNode g : root.get("groups")) {
            if (g.get("swept").get("norm.name").asText().equals(norm) && g.get("swept").get("data.batch_size").asInt() == bs) {
                return (ObjectNode) g;
            }
        }
        throw new AssertionError("no group " + norm + "/" + bs);
    }

    private void edit(java.util.function.Consumer<JsonNode> change) throws Exception {
        JsonNode root = SweepFixture.JSON.readTree(baseline.toFile());
        change.accept(root);
        SweepFixture.JSON.writeValue(baseline.toFile(), root);
    }

    @Test
    void baselineHoldsGroupKeysAndMetricStatistics() throws Exception {
        JsonNode root = SweepFixture.JSON.readTree(baseline.toFile());
        assertEquals("normlab-report-baseline", root.get("format").asText());
        assertEquals(List.of("norm.name", "data.batch_size"),
                List.of(root.get("group_keys").get(0).asText(), root.get("group_keys").get(1).asText()));
        assertEquals(4, root.get("groups").size());
        JsonNode acc = group(root, "bn", 64).get("metrics").get("final_val_acc");
        assertEquals(0.82, acc.get("mean").asDouble(), 1e-12);
        assertEquals(0.02, acc.get("std").asDouble(), 1e-12);
        assertEquals(3, acc.get("n").asInt());
        assertTrue(group(root, "iebn", 128).get("metrics").get("final_val_acc").get("std").isNull(), "std of n = 1");
    }

    @Test
    void unchangedResultsPass() {
        CommandRunner r = run("--baseline", baseline.toString());
        assertEquals(0, r.exitCode, r.toString());
        assertTrue(r.out.contains("nothing moved"), r.out);
    }

    @Test
    void anAccuracyThatDroppedBeyondTheToleranceFails() throws Exception {
        edit(root -> {
            ObjectNode acc = (ObjectNode) group(root, "iebn", 64).get("metrics").get("final_val_acc");
            acc.put("mean", acc.get("mean").asDouble() + 0.1);
        });
        CommandRunner r = run("--baseline", baseline.toString());
        assertEquals(ReportCommand.EXIT_REGRESSION, r.exitCode, r.toString());
        String line = r.out.lines().filter(l -> l.contains("final_val_acc")).findFirst().orElseThrow();
        assertTrue(line.contains("norm.name=iebn, data.batch_size=64"), line);
        assertTrue(line.contains("0.9700") && line.contains("0.8700") && line.contains("-0.1000"), line);
        assertTrue(line.contains(">= -0.0200") && line.contains("WORSE"), line);

        // A looser tolerance lets the same drop pass.
        CommandRunner loose = run("--baseline", baseline.toString(), "--tolerance", "final_val_acc=0.15");
        assertEquals(0, loose.exitCode, loose.toString());
        assertTrue(loose.out.contains(">= -0.1500") && loose.out.contains("OK"), loose.out);
    }

    @Test
    void aSmallDropWithinTheToleranceAndImprovementsPass() throws Exception {
        edit(root -> {
            ((ObjectNode) group(root, "bn", 64).get("metrics").get("final_val_acc")).put("mean", 0.835); // now 0.82: -0.015
            ((ObjectNode) group(root, "bn", 64).get("metrics").get("best_val_acc")).put("mean", 0.70); // now 0.83: better
        });
        CommandRunner r = run("--baseline", baseline.toString());
        assertEquals(0, r.exitCode, r.toString());
        assertTrue(r.out.contains("BETTER") && r.out.contains("OK"), r.out);
    }

    @Test
    void lossThatRoseParamsThatChangedAndDisappearedGroupsFail() throws Exception {
        edit(root -> ((ObjectNode) group(root, "bn", 64).get("metrics").get("final_val_loss")).put("mean", 0.35));
        CommandRunner loss = run("--baseline", baseline.toString());
        assertEquals(1, loss.exitCode, loss.toString());
        assertTrue(loss.out.lines().anyMatch(l -> l.contains("final_val_loss") && l.contains("<= +0.0500") && l.contains("WORSE")), loss.out);

        writeBaseline();
        edit(root -> ((ObjectNode) group(root, "bn", 64).get("metrics").get("params")).put("mean", 999.0));
        CommandRunner params = run("--baseline", baseline.toString());
        assertEquals(1, params.exitCode, params.toString());
        assertTrue(params.out.lines().anyMatch(l -> l.contains("params") && l.contains("WORSE")), params.out);

        writeBaseline();
        edit(root -> {
            ObjectNode ghost = ((ArrayNode) root.get("groups")).addObject();
            ghost.putObject("swept").put("norm.name", "gn").put("data.batch_size", 64);
            ghost.put("completed", 3);
            ghost.putObject("metrics");
        });
        CommandRunner gone = run("--baseline", baseline.toString());
        assertEquals(1, gone.exitCode, gone.toString());
        assertTrue(gone.out.contains("group disappeared") && gone.out.contains("norm.name=gn"), gone.out);
    }

    @Test
    void fewerCompletedTrialsFail() throws Exception {
        edit(root -> group(root, "bn", 128).put("completed", 3));
        CommandRunner r = run("--baseline", baseline.toString());
        assertEquals(1, r.exitCode, r.toString());
        assertTrue(r.out.contains("n shrank"), r.out);
    }

    @Test
    void throughputIsPrintedButDoesNotFailUnlessAsked() throws Exception {
        edit(root -> ((ObjectNode) group(root, "bn", 64).get("metrics").get("train_img_s")).put("mean", 6000.0));
        CommandRunner r = run("--baseline", baseline.toString());
        assertEquals(0, r.exitCode, r.toString());
        assertTrue(r.out.lines().anyMatch(l -> l.contains("train_img_s") && l.contains("not checked") && l.contains("INFO")), r.out);

        CommandRunner strict = run("--baseline", baseline.toString(), "--tolerance", "train_img_s=100");
        assertEquals(1, strict.exitCode, strict.toString());
    }

    @Test
    void invalidJsonNamesTheFileAndPosition() throws Exception {
        Files.writeString(baseline, "{\n  \"groups\": [\n    {\"swept\": }\n  ]\n}\n");
        Files.delete(tmp.resolve("report/report.html"));
        CommandRunner r = run("--baseline", baseline.toString());
        UserError e = assertInstanceOf(UserError.class, r.thrown, r.toString());
        assertTrue(e.getMessage().contains(baseline.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("line 3, column 15"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("report/report.html")), "a broken baseline fails before any work");
    }

    @Test
    void wrongShapeNamesTheFileAndThePlace() throws Exception {
        edit(root -> ((ObjectNode) group(root, "bn", 64).get("metrics").get("final_val_acc")).put("mean", "high"));
        CommandRunner r = run("--baseline", baseline.toString());
        UserError e = assertInstanceOf(UserError.class, r.thrown, r.toString());
        assertTrue(e.getMessage().contains(baseline.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("groups[0].metrics.final_val_acc.mean must be a number, found \"high\""),
                e.getMessage());

        Files.writeString(baseline, "[1, 2]");
        UserError top = assertInstanceOf(UserError.class, run("--baseline", baseline.toString()).thrown);
        assertTrue(top.getMessage().contains("must be an object with 'groups', found array"), top.getMessage());
    }

    @Test
    void unknownToleranceMetricsAreRefused() {
        CommandRunner r = run("--baseline", baseline.toString(), "--tolerance", "accuracy=0.1");
        UserError e = assertInstanceOf(UserError.class, r.thrown, r.toString());
        assertTrue(e.getMessage().contains("unknown metric 'accuracy'") && e.getMessage().contains("final_val_acc"),
                e.getMessage());
        UserError neg = assertInstanceOf(UserError.class,
                run("--baseline", baseline.toString(), "--tolerance", "final_val_loss=-1").thrown);
        assertTrue(neg.getMessage().contains(">= 0"), neg.getMessage());
    }

    @Test
    void helpDocumentsTheDefaultTolerances() {
        CommandRunner r = CommandRunner.run("--help");
        assertEquals(0, r.exitCode);
        assertTrue(r.out.contains("0.02") && r.out.contains("0.05") && r.out.contains("train_img_s"), r.out);
    }
}

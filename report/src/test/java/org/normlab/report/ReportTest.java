package org.normlab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Aggregation of {@link NormSweep}: groups, counts, means, stds and the Welch comparisons. */
class ReportTest {

    @TempDir Path tmp;

    @Test
    void groupsPoolSeedsAndCountEveryStatus() {
        NormSweep.write(tmp);
        Report report = Reports.build(List.of(tmp));

        assertEquals(4, report.rows().size(), "one row per (norm, batch size), seeds pooled");
        assertEquals(List.of("norm.name", "data.batch_size"), report.data().sweptKeys());
        assertEquals(12, report.planned());
        assertEquals(9, report.completed());
        assertEquals(1, report.diverged());
        assertEquals(1, report.failed());
        assertEquals(1, report.missing());
        assertEquals("iebn-128-s3", report.data().missing().get(0).trialId());

        GroupRow bn128 = report.row(NormSweep.settings("bn", 128));
        assertEquals(3, bn128.planned());
        assertEquals(2, bn128.completed());
        assertEquals(1, bn128.diverged());
        assertEquals(0, bn128.missing());
        GroupRow ie128 = report.row(NormSweep.settings("iebn", 128));
        assertEquals(1, ie128.completed());
        assertEquals(1, ie128.failed());
        assertEquals(1, ie128.missing());
    }

    @Test
    void meansAndSampleStdsAreTheHandComputedOnes() {
        NormSweep.write(tmp);
        Report report = Reports.build(List.of(tmp));
        GroupRow bn64 = report.row(NormSweep.settings("bn", 64));
        assertSummary(bn64.summary(Metric.FINAL_VAL_ACC), 3, 0.82, 0.02);
        assertSummary(bn64.summary(Metric.BEST_VAL_ACC), 3, 0.83, 0.02);
        assertSummary(bn64.summary(Metric.FINAL_TRAIN_ACC), 3, 0.92, Math.sqrt(7e-4));
        assertSummary(bn64.summary(Metric.FINAL_VAL_LOSS), 3, 0.45, 0.05);
        assertSummary(bn64.summary(Metric.PARAMS), 3, 1000, 0);
        assertSummary(bn64.summary(Metric.TRAIN_IMG_S), 3, 600, 100);

        GroupRow ie64 = report.row(NormSweep.settings("iebn", 64));
        assertSummary(ie64.summary(Metric.FINAL_VAL_ACC), 3, 0.87, Math.sqrt(7e-4));
        assertSummary(ie64.summary(Metric.FINAL_VAL_LOSS), 3, 0.38, 0.02);

        // The diverged seed's last metrics (0.30) are not averaged in: (0.78 + 0.80) / 2.
        GroupRow bn128 = report.row(NormSweep.settings("bn", 128));
        assertSummary(bn128.summary(Metric.FINAL_VAL_ACC), 2, 0.79, Math.sqrt(2e-4));
        GroupRow ie128 = report.row(NormSweep.settings("iebn", 128));
        assertEquals(1, ie128.summary(Metric.FINAL_VAL_ACC).n());
        assertTrue(Double.isNaN(ie128.summary(Metric.FINAL_VAL_ACC).std()));
    }

    @Test
    void eachNormIsComparedWithBnInTheSameOtherSettings() {
        NormSweep.write(tmp);
        Report report = Reports.build(List.of(tmp));
        assertEquals(2, report.comparisons().size(), "iebn vs bn at batch 64 and at 128");

        NormComparison at64 = report.comparisons().get(0);
        assertEquals("data.batch_size=64", at64.context().label(report.data().sweptKeys()));
        assertEquals("iebn − bn", at64.label());
        WelchInterval ci = at64.interval();
        assertEquals(0.05, ci.difference(), 1e-12);
        assertEquals(242.0 / 65.0, ci.df(), 1e-9);
        assertEquals(-0.004761327300064747, ci.lower(), 1e-9); // scipy, see StatisticsTest
        assertEquals(0.10476132730006475, ci.upper(), 1e-9);

        NormComparison at128 = report.comparisons().get(1);
        assertFalse(at128.interval().defined(), "iebn has n = 1 at batch 128");
        assertEquals(0.04, at128.interval().difference(), 1e-12);
    }

    @Test
    void writtenFilesCarryTheSameNumbers() throws Exception {
        NormSweep.write(tmp);
        Path dir = Reports.write(List.of(tmp), null);
        assertEquals(tmp.resolve("report"), dir);

        List<Map<String, String>> rows = readCsv(dir.resolve("summary.csv"));
        assertEquals(4, rows.size());
        Map<String, String> bn64 = rows.stream()
                .filter(r -> r.get("norm.name").equals("bn") && r.get("data.batch_size").equals("64"))
                .findFirst().orElseThrow();
        assertEquals(0.82, Double.parseDouble(bn64.get("final_val_acc_mean")), 1e-12);
        assertEquals(0.02, Double.parseDouble(bn64.get("final_val_acc_std")), 1e-12);
        assertEquals("3", bn64.get("final_val_acc_n"));
        assertEquals("3", bn64.get("completed"));
        Map<String, String> ie128 = rows.stream()
                .filter(r -> r.get("norm.name").equals("iebn") && r.get("data.batch_size").equals("128"))
                .findFirst().orElseThrow();
        assertEquals("", ie128.get("final_val_acc_std"), "no std with n = 1");
        assertEquals("1", ie128.get("missing"));
        assertEquals("1", ie128.get("failed"));

        List<Map<String, String>> cmp = readCsv(dir.resolve("comparisons.csv"));
        assertEquals(0.10476132730006475, Double.parseDouble(cmp.get(0).get("welch95_high")), 1e-9);
        assertEquals("", cmp.get(1).get("welch95_low"));

        String md = Files.readString(dir.resolve("report.md"));
        assertTrue(md.contains("sample std (n−1)"), "the table says which std");
        assertTrue(md.contains("Welch 95% CI"));
        assertTrue(md.contains("| data.batch_size=64 | iebn − bn | 3 vs 3 | +0.0500 | [-0.0048, +0.1048] | 3.7 | no |"), md);
        assertTrue(md.contains("undefined: needs n >= 2 on both sides (n = 1 vs 2)"), md);
        assertTrue(md.contains("| bn | 64 | 3 | 0 | 0 | 0 | 0.8200 ± 0.0200 |"), md);
        assertTrue(md.contains("**Partial sweep**: 1 planned trial(s)"), md);
        assertTrue(md.contains("| iebn-128-s3 |"), "the missing trial is listed");
        assertTrue(md.contains("name: \"norms\""), "sweep.yaml is shown");
    }

    @Test
    void historyFallsBackToMetricsCsv() throws Exception {
        NormSweep.write(tmp);
        // Drop the history from one result.json: the curve must come from metrics.csv beside it.
        Path file = tmp.resolve("bn-64-s1/result.json");
        var node = (com.fasterxml.jackson.databind.node.ObjectNode) SweepFixture.JSON.readTree(file.toFile());
        var history = node.remove("history");
        SweepFixture.JSON.writeValue(file.toFile(), node);
        TrialOutcome r = ResultFiles.readResult(file);
        assertEquals(5, r.history().size());
        assertEquals(history.get(4).get("val_acc").asDouble(), r.history().get(4).valAcc(), 1e-12);
        assertEquals(history.get(0).get("train_loss").asDouble(), r.history().get(0).trainLoss(), 1e-12);
    }

    @Test
    void aSweepWithoutAnyResultStillGetsAReport() throws Exception {
        SweepFixture f = new SweepFixture(tmp, "empty");
        f.plan("a", 1, SweepFixture.swept("norm.name", "bn")).plan("b", 1, SweepFixture.swept("norm.name", "iebn"));
        f.writePlan(Map.of("norm.name", List.of("bn", "iebn")), List.of(1));
        Report report = Reports.build(List.of(tmp));
        assertEquals(2, report.missing());
        assertEquals(0, report.completed());
        Path dir = Reports.write(report, tmp.resolve("out"));
        assertTrue(Files.readString(dir.resolve("report.md")).contains("nothing to plot"));
        assertFalse(report.comparisons().get(0).interval().defined(), "no values on either side");
    }

    @Test
    void settingsCompareNumbersByValue() {
        var nodes = SweepFixture.JSON.getNodeFactory();
        Settings a = new Settings(Map.of("data.batch_size", nodes.numberNode(64), "norm.name", nodes.textNode("bn")));
        Settings b = new Settings(Map.of("norm.name", nodes.textNode("bn"), "data.batch_size", nodes.numberNode(64.0)));
        Settings c = new Settings(Map.of("norm.name", nodes.textNode("bn"), "data.batch_size", nodes.textNode("64")));
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertFalse(a.equals(c), "the text \"64\" is not the number 64");
    }

    static List<Map<String, String>> readCsv(Path file) throws Exception {
        try (MappingIterator<Map<String, String>> it = new CsvMapper().readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(file.toFile())) {
            return it.readAll();
        }
    }

    private static void assertSummary(Summary s, int n, double mean, double std) {
        assertEquals(n, s.n(), "n");
        assertEquals(mean, s.mean(), 1e-12, "mean");
        assertEquals(std, s.std(), 1e-12, "sample std");
    }
}

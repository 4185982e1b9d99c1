package org.normlab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.jfree.data.Range;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.normlab.results.UserError;

/**
 * The report's lead for a sweep with {@code report.dose_response} ({@link DoseSweep}): the chart
 * data of the dose–response figure, its shared y axis, the pivot table and the difference-vs-bn
 * table, each number against the closed form of the fixture's accuracies; bad entries are errors
 * that name sweep.yaml and the key.
 */
class DoseResponseTest {

    @TempDir Path tmp;

    /** Sample std of {-0.01, 0, 0.02} (bn, gn): sqrt(((4 + 1 + 25) / 9) / 2) / 100 = sqrt(7/3) / 100. */
    private static final double STD = Math.sqrt(7.0 / 3) / 100;
    /** Sample std of {-0.015, 0.005, 0.01} (iebn): sqrt(3.5 / 2) / 100. */
    private static final double IEBN_STD = Math.sqrt(1.75) / 100;
    private static final double THIRD = 0.01 / 3;   // mean of the bn/gn noise; iebn's is 0

    private Report report() {
        DoseSweep.write(tmp, Map.of("dose_response", DoseSweep.families()));
        return Reports.build(List.of(tmp));
    }

    @Test
    void theTableSortsResultsByFamilyStrengthAndBatch() {
        DoseTable t = report().dose();
        assertEquals(List.of("data.batch_size"), t.contextKeys());
        assertEquals(List.of("bn", "iebn", "gn"), t.norms());
        assertEquals(3, t.outside(), "the three ghost trials are in no family and not in the baseline");
        // none x {16, 128}, constant x {0.25, 1} x {16, 128}, mix x {0.25, 0.5} x {16, 128}
        assertEquals(10, t.rows().size());
        assertEquals(List.of("none", "none", "constant", "constant", "constant", "constant", "mix", "mix", "mix", "mix"),
                t.rows().stream().map(DoseTable.Row::family).toList());
        assertEquals(List.of(0.0, 0.0, 0.25, 0.25, 1.0, 1.0, 0.25, 0.25, 0.5, 0.5),
                t.rows().stream().map(DoseTable.Row::strength).toList());
        assertTrue(t.rows().get(0).baseline() && !t.rows().get(2).baseline());
    }

    @Test
    void theChartDataHasAPanelPerFamilyAndBatchWithTheBaselineAtZero() {
        Report report = report();
        ChartData.DoseFigure fig = ChartData.doseResponse(report.dose());
        assertEquals(2, fig.columns());
        assertEquals(4, fig.panels().size(), "2 families x 2 batch sizes");
        assertEquals(List.of("constant", "mix", "constant", "mix"), fig.panels().stream().map(ChartData.DosePanel::family).toList());
        assertEquals(List.of("attack.options.b", "data.mix.ratio", "attack.options.b", "data.mix.ratio"),
                fig.panels().stream().map(ChartData.DosePanel::strengthKey).toList());
        // gn has no constant trials (excluded), so no line in the constant panels.
        assertEquals(List.of("bn", "iebn"), List.copyOf(fig.panels().get(0).byNorm().keySet()));
        assertEquals(List.of("bn", "iebn", "gn"), List.copyOf(fig.panels().get(1).byNorm().keySet()));
        assertEquals(10, fig.panels().stream().mapToInt(p -> p.byNorm().size()).sum(), "series over all panels");
        for (ChartData.DosePanel p : fig.panels()) {
            p.byNorm().values().forEach(points -> assertEquals(3, points.size(), "baseline + two strengths"));
        }

        // bn, constant, batch 16: x 0 (the no-attack trials), 0.25, 1.
        List<ChartData.Point> bn = fig.panels().get(0).byNorm().get("bn");
        assertPoints(bn, new double[] {0, 0.25, 1}, new double[] {0.80 + THIRD, 0.75 + THIRD, 0.60 + THIRD},
                new double[] {STD, STD, STD});
        // iebn, constant, batch 16: at b = 1 seed 3 diverged, so seeds 1 and 2: {-0.015, 0.005}, std sqrt(2) / 100.
        List<ChartData.Point> iebn = fig.panels().get(0).byNorm().get("iebn");
        assertPoints(iebn, new double[] {0, 0.25, 1}, new double[] {0.78, 0.755, 0.675},
                new double[] {IEBN_STD, IEBN_STD, Math.sqrt(2) / 100});
        // gn, mix, batch 128: baseline 0.72 + 1/300; at 0.5 seed 2 failed: seeds 1, 3 {-0.01, 0.02}, std sqrt(4.5) / 100.
        List<ChartData.Point> gn = fig.panels().get(3).byNorm().get("gn");
        assertPoints(gn, new double[] {0, 0.25, 0.5}, new double[] {0.72 + THIRD, 0.71 + THIRD, 0.705},
                new double[] {STD, STD, Math.sqrt(4.5) / 100});
    }

    @Test
    void everyPanelSharesOneYRange() {
        Report report = report();
        ChartData.DoseFigure fig = ChartData.doseResponse(report.dose());
        // Highest band edge: bn without attack (0.80 + 1/300 + std); lowest: iebn, constant b = 1 at 128 (0.58 - std).
        double hi = 0.80 + THIRD + STD;
        double lo = 0.58 - IEBN_STD;
        double pad = 0.05 * (hi - lo);
        assertEquals(lo - pad, fig.y().lower(), 1e-12);
        assertEquals(hi + pad, fig.y().upper(), 1e-12);

        List<JFreeChart> panels = DoseCharts.panels(fig, Charts.colors(report), report.data().sweptKeys());
        assertEquals(4, panels.size());
        List<Integer> series = new ArrayList<>();
        for (JFreeChart c : panels) {
            XYPlot plot = c.getXYPlot();
            Range y = plot.getRangeAxis().getRange();
            assertEquals(fig.y().lower(), y.getLowerBound(), 0);
            assertEquals(fig.y().upper(), y.getUpperBound(), 0);
            assertFalse(plot.getRangeAxis().isAutoRange(), "a fixed range, not one fitted per panel");
            series.add(plot.getDataset().getSeriesCount());
        }
        assertEquals(List.of(2, 3, 2, 3), series);
        assertEquals("constant — data.batch_size=16", panels.get(0).getTitle().getText());
        assertEquals("mix — data.batch_size=128", panels.get(3).getTitle().getText());
    }

    @Test
    void thePivotTableGivesMeanStdAndNPerNorm() throws Exception {
        Report report = report();
        Doc.Table pivot = tables(report).get(0);
        assertEquals(List.of("attack", "strength", "data.batch_size", "bn", "iebn", "gn"), pivot.header());
        assertEquals(10, pivot.rows().size());
        assertEquals(List.of("none", "0", "16", cell(0.80 + THIRD, STD, 3), cell(0.78, IEBN_STD, 3), cell(0.74 + THIRD, STD, 3)),
                pivot.rows().get(0));
        assertEquals(List.of("none", "0", "128", cell(0.80 + THIRD, STD, 3), cell(0.68, IEBN_STD, 3), cell(0.72 + THIRD, STD, 3)),
                pivot.rows().get(1));
        assertEquals(List.of("constant", "1", "16", cell(0.60 + THIRD, STD, 2 + 1), cell(0.675, Math.sqrt(2) / 100, 2), "—"),
                pivot.rows().get(4));
        assertEquals(List.of("mix", "0.5", "128", cell(0.74 + THIRD, STD, 3), cell(0.65, IEBN_STD, 3), cell(0.705, Math.sqrt(4.5) / 100, 2)),
                pivot.rows().get(9));

        String sample = System.getProperty("report.sample.dir");   // -Dreport.sample.dir=DIR keeps the report
        Path out = Reports.write(report, sample != null ? Path.of(sample + "-dose") : tmp.resolve("report"));
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("| none | 0 | 16 | " + cell(0.80 + THIRD, STD, 3) + " | "), md);
        int lead = md.indexOf("## Dose–response");
        assertTrue(lead > 0 && lead < md.indexOf("## Trials") && md.indexOf("## Trials") < md.indexOf("## Results by group"), md);
        assertTrue(md.indexOf("](dose_response.png)") > lead && md.indexOf("](dose_response.png)") < md.indexOf("| attack |"), md);
        assertTrue(Files.size(out.resolve("dose_response.png")) > 10_000);
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.indexOf("<h2>Dose–response</h2>") < html.indexOf("<h2>Trials</h2>"), "the lead comes first in HTML too");
        assertTrue(html.contains("<td class=\"num\">" + cell(0.80 + THIRD, STD, 3) + "</td>"));
    }

    @Test
    void theDifferenceTableGivesEachNormMinusBnWithWelchIntervals() {
        Doc.Table diff = tables(report()).get(1);
        assertEquals(List.of("attack", "strength", "data.batch_size", "iebn − bn", "gn − bn"), diff.header());
        assertEquals(10, diff.rows().size());
        // gn − bn under mix 0.25 at batch 16: 0.73 - 0.77 = -0.04; equal stds and n = 3, so df = 4 and
        // t(0.975, 4) = 2.7764451 (tables).
        double half = 2.7764451 * Math.sqrt(2 * STD * STD / 3);
        assertEquals(String.format(Locale.ROOT, "%+.4f [%+.4f, %+.4f]", -0.04, -0.04 - half, -0.04 + half),
                diff.rows().get(6).get(4));
        assertEquals("—", diff.rows().get(2).get(4), "no gn under the constant attack");
        assertTrue(diff.rows().get(0).get(3).startsWith("-0.0233 ["), diff.rows().get(0).toString());
    }

    @Test
    void anExplicitBaselineReplacesTheNoAttackRule() {
        DoseSweep.write(tmp, Map.of("dose_response", DoseSweep.families(),
                "dose_baseline", Map.of("name", "plain", "where", Map.of("attack.name", "ghost"))));
        DoseTable t = Reports.build(List.of(tmp)).dose();
        assertEquals("plain", t.rows().get(0).family());
        assertEquals(1, t.rows().stream().filter(DoseTable.Row::baseline).count(), "ghost ran at batch 16 only");
        assertEquals(3, t.rows().get(0).summary("bn").n());
        assertEquals(18, t.outside(), "the 3 x 2 x 3 no-attack trials are now outside");
    }

    @Test
    void aPartialSweepShowsWhatItHasAndSaysWhichFamilyHasNoResultYet() throws Exception {
        DoseSweep.write(tmp, Map.of("dose_response", DoseSweep.families()));
        try (var trials = Files.list(tmp)) {
            for (Path t : trials.filter(t -> t.getFileName().toString().contains("-mix-")).toList()) {
                Files.delete(t.resolve("result.json"));
            }
        }
        Report report = Reports.build(List.of(tmp));
        assertEquals(List.of("mix"), report.dose().unseen());   // 3 norms x 2 ratios x 2 batch sizes x 3 seeds = 36 missing
        assertEquals(6, report.dose().rows().size(), "none and constant rows only");
        ChartData.DoseFigure fig = ChartData.doseResponse(report.dose());
        assertEquals(4, fig.panels().size(), "the mix panels stay, empty, so rows of panels stay one batch size each");
        assertTrue(fig.panels().get(1).byNorm().isEmpty());
        String md = MarkdownWriter.render(ReportContent.build(report, List.of(), List.of()));
        assertTrue(md.contains("**Partial sweep**: 36 planned trial(s) have no result yet.")
                && md.contains("No result (yet) in the family mix."), md);
    }

    @Test
    void withoutTheKeyTheReportIsAsBefore() throws Exception {
        DoseSweep.write(tmp, null);
        Report report = Reports.build(List.of(tmp));
        assertNull(report.dose());
        Path out = Reports.write(report, tmp.resolve("report"));
        assertFalse(Files.readString(out.resolve("report.md")).contains("Dose–response"));
        assertFalse(Files.exists(out.resolve("dose_response.png")));
        assertTrue(Files.readString(out.resolve("report.md")).startsWith("# Sweep report: noise\n\n## Trials"));
    }

    @Test
    void aBadEntryNamesSweepYamlAndTheKey() {
        Path yaml = tmp.resolve("sweep.yaml");
        DoseSweep.write(tmp, Map.of("dose_response",
                List.of(Map.of("name", "constant", "where", Map.of("attack.name", "constant"), "strength", "attack.name"))));
        String notNumeric = assertThrows(UserError.class, () -> Reports.build(List.of(tmp))).getMessage();
        assertTrue(notNumeric.startsWith(yaml + ": report.dose_response[0].strength: report.dose_response entry 1 "
                + "(constant): strength: attack.name is 'constant' in trial bn-constant-0.25-16-s1 ("), notNumeric);
        assertTrue(notNumeric.endsWith("it must be a number"), notNumeric);

        DoseSweep.write(tmp, Map.of("dose_response", List.of(Map.of("name", "constant", "strength", "attack.options.b"))));
        assertEquals(yaml + ": report.dose_response[0]: report.dose_response entry 1 has no 'where'; each family needs "
                + "name, where and strength", assertThrows(UserError.class, () -> Reports.build(List.of(tmp))).getMessage());

        DoseSweep.write(tmp, Map.of("dose_respons", DoseSweep.families()));
        assertEquals(yaml + ": report.dose_respons: report: unknown key 'dose_respons'; known keys: dose_response, dose_baseline",
                assertThrows(UserError.class, () -> Reports.build(List.of(tmp))).getMessage());

        DoseSweep.write(tmp, Map.of("dose_response", List.of(DoseSweep.families().get(0),
                Map.of("name", "any", "where", Map.of("data.batch_size", 16), "strength", "data.batch_size"))));
        String twice = assertThrows(UserError.class, () -> Reports.build(List.of(tmp))).getMessage();
        assertTrue(twice.contains("report.dose_response[1]: report.dose_response: trial ")
                && twice.contains(" matches the families constant and any; a trial belongs to one family at most"), twice);
    }

    /** The pivot and difference tables, the lead's first two tables. */
    private static List<Doc.Table> tables(Report report) {
        Doc doc = ReportContent.build(report, List.of(), List.of());
        List<Doc.Table> tables = new ArrayList<>();
        for (Doc.Block b : doc.blocks) {
            if (b instanceof Doc.Heading h && h.text().equals("Trials")) {
                break;
            }
            // the pivot and difference tables are laid out by attack and strength (the slopes' and the
            // p-values' tables are DoseStatisticsTest's)
            if (b instanceof Doc.Table t && t.header().get(0).equals("attack")
                    && t.header().stream().noneMatch(h -> h.endsWith("p (Holm)"))) {
                tables.add(t);
            }
        }
        assertEquals(2, tables.size(), "pivot and difference table before the Trials section");
        return tables;
    }

    private static String cell(double mean, double std, int n) {
        return String.format(Locale.ROOT, "%.4f ± %.4f (%d)", mean, std, n);
    }

    private static void assertPoints(List<ChartData.Point> points, double[] x, double[] mean, double[] std) {
        assertEquals(x.length, points.size());
        for (int i = 0; i < x.length; i++) {
            assertEquals(x[i], points.get(i).x(), 1e-12, "x " + i);
            assertEquals(mean[i], points.get(i).mean(), 1e-12, "mean " + i);
            assertEquals(std[i], points.get(i).upper() - points.get(i).mean(), 1e-12, "std " + i);
            assertEquals(std[i], points.get(i).mean() - points.get(i).lower(), 1e-12, "std " + i);
        }
    }
}

package org.normlab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mix family's accuracy per component in the dose–response section, on {@link DoseSweep}. */
class DoseComponentsTest {

    @TempDir Path tmp;

    private static final double STD = Math.sqrt(7.0 / 3) / 100;   // bn and gn noise {-0.01, 0, 0.02}
    private static final double IEBN_STD = Math.sqrt(1.75) / 100;  // iebn noise {-0.015, 0.005, 0.01}
    private static final double THIRD = 0.01 / 3;

    @Test
    void theMixFamilyGetsATableOfItsComponentsAndTheConstantFamilyNone() throws Exception {
        DoseSweep.write(tmp, Map.of("dose_response", DoseSweep.families()));
        Report report = Reports.build(List.of(tmp));
        assertEquals(List.of("fashion-mnist", "inverted"), DoseComponents.components(report.dose(), "mix"));
        assertEquals(List.of(), DoseComponents.components(report.dose(), "constant"));

        Doc doc = ReportContent.build(report, List.of(), List.of());
        List<String> headings = doc.blocks.stream().filter(b -> b instanceof Doc.Heading h && h.text().startsWith("Accuracy per component"))
                .map(b -> ((Doc.Heading) b).text()).toList();
        assertEquals(List.of("Accuracy per component: mix"), headings);
        Doc.Table t = doc.blocks.stream().filter(b -> b instanceof Doc.Table tab && tab.header().contains("val acc [inverted]"))
                .map(b -> (Doc.Table) b).findFirst().orElseThrow();
        assertEquals(List.of("data.batch_size", "strength", "norm", "final val acc", "val acc [fashion-mnist]", "val acc [inverted]"),
                t.header());
        // 2 batch sizes x (baseline, 0.25, 0.5) x 3 norms
        assertEquals(18, t.rows().size());
        // the baseline: the whole (plain) set only
        assertEquals(List.of("16", "0", "bn", cell(0.80 + THIRD, STD, 3), "—", "—"), t.rows().get(0));
        // bn, mix 0.25 at 16: 0.80 - 0.12 x 0.25 = 0.77 (+ 1/300 noise mean); plain +0.02, inverted -0.10
        assertEquals(List.of("16", "0.25", "bn", cell(0.77 + THIRD, STD, 3), cell(0.79 + THIRD, STD, 3), cell(0.67 + THIRD, STD, 3)),
                t.rows().get(3));
        // iebn, mix 0.5 at 128: 0.78 - 0.10 - 0.06 x 0.5 = 0.65
        assertEquals(List.of("128", "0.5", "iebn", cell(0.65, IEBN_STD, 3), cell(0.67, IEBN_STD, 3), cell(0.55, IEBN_STD, 3)),
                t.rows().get(16));
        // gn, mix 0.5 at 128: seed 2 failed, so seeds 1 and 3: {-0.01, 0.02}
        assertEquals(List.of("128", "0.5", "gn", cell(0.705, Math.sqrt(4.5) / 100, 2), cell(0.725, Math.sqrt(4.5) / 100, 2),
                cell(0.605, Math.sqrt(4.5) / 100, 2)), t.rows().get(17));

        Path out = Reports.write(report, tmp.resolve("report"));
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.indexOf("## Accuracy per component: mix") < md.indexOf("## Trials"), "in the lead, before the trials");
    }

    private static String cell(double mean, double std, int n) {
        return String.format(Locale.ROOT, "%.4f ± %.4f (%d)", mean, std, n);
    }
}

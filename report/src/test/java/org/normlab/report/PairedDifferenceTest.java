package org.normlab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.normlab.results.TrialStatus;

/**
 * The paired-by-seed difference against SciPy 1.10.1: scipy.stats.ttest_rel for p, and the
 * interval mean(d) -+ scipy.stats.t.ppf(0.975, n - 1) * std(d, ddof=1) / sqrt(n).
 */
class PairedDifferenceTest {

    @Test
    void matchesScipyTtestRelAndIsTighterThanWelchWhenSeedsAgree() {
        // a = [0.774, 0.768, 0.781], b = [0.760, 0.751, 0.770], seeds 1..3 on both sides
        PairedDifference d = PairedDifference.of(trials(new int[] {1, 2, 3}, 0.774, 0.768, 0.781),
                trials(new int[] {1, 2, 3}, 0.760, 0.751, 0.770), 0.95);
        assertEquals(3, d.pairs());
        assertEquals(0.014000000000000012, d.difference(), 1e-12);
        assertEquals(0.014963437377591397, d.p(), 1e-12);
        assertEquals(0.006547586864468748, d.lower(), 1e-12);
        assertEquals(0.021452413135531277, d.upper(), 1e-12);
        // the same values unpaired: scipy.stats.ttest_ind(a, b, equal_var=False).pvalue
        assertEquals(0.11207950324766609,
                WelchTest.of(Summary.of(0.774, 0.768, 0.781), Summary.of(0.760, 0.751, 0.770)).p(), 1e-12);
    }

    @Test
    void pairsBySeedNotByOrderAndLeavesUnpairedSeedsOut() {
        // seeds 1-4 vs 2-5, listed in other orders: the pairs are seeds 2, 3, 4 =
        // [0.70, 0.72, 0.71] - [0.66, 0.69, 0.70]; scipy.stats.ttest_rel p 0.09417837268432307
        PairedDifference d = PairedDifference.of(trials(new int[] {4, 1, 2, 3}, 0.71, 0.99, 0.70, 0.72),
                trials(new int[] {5, 3, 2, 4}, 0.10, 0.69, 0.66, 0.70), 0.95);
        assertEquals(3, d.pairs());
        assertEquals(0.026666666666666655, d.difference(), 1e-12);
        assertEquals(0.09417837268432307, d.p(), 1e-12);
    }

    @Test
    void undefinedWithFewerThanTwoPairsOrNoSpread() {
        assertFalse(PairedDifference.of(trials(new int[] {1}, 0.7), trials(new int[] {1}, 0.6), 0.95).defined());
        assertEquals(0, PairedDifference.of(trials(new int[] {1}, 0.7), trials(new int[] {2}, 0.6), 0.95).pairs());
        // differences 0.25 and 0.25 exactly (binary fractions): no spread, no test
        PairedDifference constant = PairedDifference.of(trials(new int[] {1, 2}, 0.75, 0.5), trials(new int[] {1, 2}, 0.5, 0.25), 0.95);
        assertEquals(2, constant.pairs());
        assertFalse(constant.defined());
        assertTrue(PairedDifference.of(trials(new int[] {1, 2}, 0.7, 0.8), trials(new int[] {1, 2}, 0.6, 0.75), 0.95).defined());
    }

    private static List<TrialOutcome> trials(int[] seeds, double... acc) {
        assertEquals(seeds.length, acc.length);
        List<TrialOutcome> list = new ArrayList<>();
        for (int i = 0; i < seeds.length; i++) {
            list.add(new TrialOutcome("t" + i, "s", TrialStatus.COMPLETED, seeds[i], Settings.NONE, null,
                    Map.of(Metric.FINAL_VAL_ACC.name(), acc[i]), List.of(), null, Path.of("r" + i)));
        }
        return list;
    }
}

package org.normlab.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Holm's adjustment, Welch's p, the OLS slope and the difference of slopes against independent
 * values: a hand-computed Holm example, and SciPy 1.17.1 (scipy.stats.ttest_ind(equal_var=False),
 * scipy.stats.linregress, scipy.stats.t) for the rest.
 */
class CorrectedStatisticsTest {

    /** Strengths of a family with its baseline, three seeds each: 0, 0.25, 0.5, 1 (the constant attack's b). */
    static final double[] X = {0, 0, 0, 0.25, 0.25, 0.25, 0.5, 0.5, 0.5, 1, 1, 1};
    /** A norm that degrades with strength. */
    static final double[] BN = {0.771, 0.765, 0.780, 0.752, 0.760, 0.741, 0.733, 0.745, 0.720, 0.690, 0.701, 0.675};
    /** A norm that does not. */
    static final double[] IEBN = {0.768, 0.775, 0.770, 0.772, 0.761, 0.777, 0.769, 0.760, 0.774, 0.771, 0.763, 0.766};

    @Test
    void holmMultipliesTheIthSmallestByMMinusIPlusOneAndKeepsTheOrder() {
        // sorted 0.005, 0.01, 0.03, 0.04 -> x4, x3, x2, x1 = 0.02, 0.03, 0.06, 0.04 -> monotone: 0.06 for
        // the last. Bonferroni would give 0.04, 0.16, 0.12, 0.02; no monotone step 0.04 for p = 0.04.
        assertArrayEquals(new double[] {0.03, 0.06, 0.06, 0.02}, Holm.adjust(new double[] {0.01, 0.04, 0.03, 0.005}), 1e-15);
        // a NaN is not counted (m = 3) and stays NaN; 0.5 x 2 = 1 (capped), so 0.6 x 1 becomes 1 too
        double[] adjusted = Holm.adjust(new double[] {0.6, Double.NaN, 0.02, 0.5});
        assertEquals(1.0, adjusted[0]);
        assertTrue(Double.isNaN(adjusted[1]));
        assertEquals(0.06, adjusted[2], 1e-15);
        assertEquals(1.0, adjusted[3]);

        // ties: both get 2 x 0.02, whatever their order
        assertArrayEquals(new double[] {0.04, 0.04}, Holm.adjust(new double[] {0.02, 0.02}), 1e-15);
        assertEquals(0, Holm.adjust(new double[0]).length);
        assertThrows(IllegalArgumentException.class, () -> Holm.adjust(new double[] {1.5}));
    }

    @Test
    void welchPMatchesScipy() {
        // scipy.stats.ttest_ind([0.774, 0.768, 0.781], [0.741, 0.760, 0.752], equal_var=False)
        WelchTest w = WelchTest.of(Summary.of(0.774, 0.768, 0.781), Summary.of(0.741, 0.760, 0.752));
        assertEquals(3.5, w.t(), 1e-12);
        assertEquals(3.5297491671998054, w.df(), 1e-12);
        assertEquals(0.030479787233862306, w.p(), 1e-12);
        // unequal n: ttest_ind([0.70, 0.72], [0.66, 0.69, 0.68], equal_var=False)
        WelchTest u = WelchTest.of(Summary.of(0.70, 0.72), Summary.of(0.66, 0.69, 0.68));
        assertEquals(2.426540284360184, u.df(), 1e-12);
        assertEquals(0.10762541533920783, u.p(), 1e-12);
        // and it is the test the interval inverts: p < 0.05 exactly when the 95% interval excludes 0
        assertTrue(WelchInterval.of(Summary.of(0.774, 0.768, 0.781), Summary.of(0.741, 0.760, 0.752), 0.95).excludesZero());
        assertFalse(WelchInterval.of(Summary.of(0.70, 0.72), Summary.of(0.66, 0.69, 0.68), 0.95).excludesZero());
        assertFalse(WelchTest.of(Summary.of(0.7), Summary.of(0.6, 0.7)).defined());
    }

    @Test
    void slopeMatchesScipyLinregress() {
        // scipy.stats.linregress(X, BN): slope, stderr, pvalue; interval slope -+ t.ppf(0.975, 10) * stderr
        Slope bn = Slope.of(X, BN, 0.95);
        assertEquals(12, bn.n());
        assertEquals(10, bn.df());
        assertEquals(-0.08300952380952382, bn.slope(), 1e-13);
        assertEquals(0.007657654567123536, bn.se(), 1e-13);
        assertEquals(7.553134042676727e-07, bn.p(), 1e-17);
        assertEquals(-0.10007184146562191, bn.lower(), 1e-13);
        assertEquals(-0.06594720615342574, bn.upper(), 1e-13);
        Slope iebn = Slope.of(X, IEBN, 0.95);
        assertEquals(-0.004495238095238099, iebn.slope(), 1e-13);
        assertEquals(0.004251264717784615, iebn.se(), 1e-13);
        assertEquals(0.3152085584475412, iebn.p(), 1e-12);
        assertEquals(-0.013967646183012461, iebn.lower(), 1e-13);
        assertEquals(0.004977169992536263, iebn.upper(), 1e-13);
    }

    @Test
    void slopeDifferenceMatchesScipyWithWelchSatterthwaiteDf() {
        // se = sqrt(se_a^2 + se_b^2), df = (va + vb)^2 / (va^2 / 10 + vb^2 / 10), p = 2 * t.sf(|d| / se, df)
        // (a pooled-variance test would give df 20 and another interval)
        SlopeDifference d = SlopeDifference.of(Slope.of(X, IEBN, 0.95), Slope.of(X, BN, 0.95), 0.95);
        assertEquals(0.07851428571428573, d.difference(), 1e-13);
        assertEquals(0.008758591506062391, d.se(), 1e-13);
        assertEquals(15.629419177540678, d.df(), 1e-10);
        assertEquals(0.05991105722020404, d.lower(), 1e-12);
        assertEquals(0.09711751420836742, d.upper(), 1e-12);
        assertEquals(1.485348500579431e-07, d.p(), 1e-16);
    }

    @Test
    void undefinedSlopesSayWhy() {
        assertTrue(Slope.of(new double[] {0, 1}, new double[] {0.5, 0.6}, 0.95).undefinedReason().contains("n >= 3"));
        assertTrue(Slope.of(new double[] {0, 0, 0}, new double[] {0.5, 0.6, 0.7}, 0.95).undefinedReason().contains("strengths"));
        Slope exact = Slope.of(new double[] {0, 1, 2}, new double[] {0.5, 0.6, 0.7}, 0.95);
        assertFalse(exact.defined());
        assertEquals(0.1, exact.slope(), 1e-12);
        assertFalse(SlopeDifference.of(exact, Slope.of(X, BN, 0.95), 0.95).defined());
    }
}

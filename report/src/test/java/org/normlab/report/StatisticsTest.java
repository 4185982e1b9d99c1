package org.normlab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.statistics.distribution.TDistribution;
import org.junit.jupiter.api.Test;

/** Summary, Student's t and Welch's interval against tables and hand-computed values. */
class StatisticsTest {

    /** Student's t as the report computes it: Commons Statistics, guarded here by tables and scipy. */
    private static TDistribution t(double df) {
        return TDistribution.of(df);
    }

    @Test
    void summaryIsMeanAndSampleStdWithNMinusOne() {
        Summary s = Summary.of(0.80, 0.82, 0.84);
        assertEquals(3, s.n());
        assertEquals(0.82, s.mean(), 1e-15);
        // ((-0.02)^2 + 0 + 0.02^2) / (3 - 1) = 0.0004; a population std would give 0.01633.
        assertEquals(0.02, s.std(), 1e-15);

        Summary one = Summary.of(0.5);
        assertEquals(0.5, one.mean());
        assertTrue(Double.isNaN(one.std()), "the std of one value is undefined");
        assertTrue(Double.isNaN(Summary.of().mean()));
    }

    @Test
    void tQuantilesMatchTheTables() {
        // Two-sided 95% critical values of Student's t (any statistics table).
        assertEquals(12.7062, t(1).inverseCumulativeProbability(0.975), 1e-4);
        assertEquals(4.3027, t(2).inverseCumulativeProbability(0.975), 1e-4);
        assertEquals(2.7764, t(4).inverseCumulativeProbability(0.975), 1e-4);
        assertEquals(2.2281, t(10).inverseCumulativeProbability(0.975), 1e-4);
        assertEquals(2.0423, t(30).inverseCumulativeProbability(0.975), 1e-4);
        assertEquals(1.9600, t(1e6).inverseCumulativeProbability(0.975), 1e-4);
        // Fractional df, as Welch produces; reference: scipy.stats.t.ppf.
        assertEquals(3.5746548420036817, t(2.5).inverseCumulativeProbability(0.975), 1e-9);
        assertEquals(2.345066736547703, t(7.3).inverseCumulativeProbability(0.975), 1e-9);
        assertEquals(-2.345066736547703, t(7.3).inverseCumulativeProbability(0.025), 1e-9);
        assertEquals(0, t(3).inverseCumulativeProbability(0.5), 0);
    }

    @Test
    void tCdfMatchesScipy() {
        assertEquals(0.8932009153989933, t(3.7).cumulativeProbability(1.5), 1e-10);
        assertEquals(0.023641591451071933, t(12.5).cumulativeProbability(-2.2), 1e-10);
        assertEquals(0.5, t(5).cumulativeProbability(0), 1e-15);
    }

    @Test
    void welchIntervalMatchesAHandComputation() {
        Summary iebn = Summary.of(0.85, 0.86, 0.90); // mean 0.87, variance 7e-4
        Summary bn = Summary.of(0.80, 0.82, 0.84); // mean 0.82, variance 4e-4
        WelchInterval ci = WelchInterval.of(iebn, bn, 0.95);
        // se^2 = 7e-4/3 + 4e-4/3; df = (11/3)^2 / ((7/3)^2/2 + (4/3)^2/2) = 242/65
        double df = 242.0 / 65.0;
        double se = Math.sqrt(11e-4 / 3);
        double t = 2.8598170480254104; // scipy.stats.t.ppf(0.975, 242/65)
        assertTrue(ci.defined());
        assertEquals(0.05, ci.difference(), 1e-12);
        assertEquals(df, ci.df(), 1e-9);
        assertEquals(0.05 - t * se, ci.lower(), 1e-9);
        assertEquals(0.05 + t * se, ci.upper(), 1e-9);
        assertEquals(-0.004761327300064747, ci.lower(), 1e-9);
        assertFalse(ci.excludesZero());
    }

    @Test
    void welchWithEqualSmallSamplesUsesTheTableQuantile() {
        // Equal variances and n: df = 2(n-1) = 4, so the half-width is t(0.975, 4) * se.
        Summary a = Summary.of(1.0, 2.0, 3.0); // mean 2, variance 1
        Summary b = Summary.of(4.0, 5.0, 6.0); // mean 5, variance 1
        WelchInterval ci = WelchInterval.of(b, a, 0.95);
        assertEquals(4.0, ci.df(), 1e-12);
        double half = 2.7764451051977934 * Math.sqrt(2.0 / 3);
        assertEquals(3 - half, ci.lower(), 1e-9);
        assertEquals(3 + half, ci.upper(), 1e-9);
        assertTrue(ci.excludesZero());
    }

    @Test
    void welchIsUndefinedBelowTwoValuesOrWithoutVariance() {
        WelchInterval one = WelchInterval.of(Summary.of(0.8), Summary.of(0.7, 0.72), 0.95);
        assertFalse(one.defined());
        assertTrue(one.undefinedReason().contains("n >= 2"), one.undefinedReason());
        assertTrue(Double.isNaN(one.lower()) && Double.isNaN(one.upper()));
        assertEquals(0.09, one.difference(), 1e-12);

        WelchInterval flat = WelchInterval.of(Summary.of(0.8, 0.8), Summary.of(0.7, 0.7), 0.95);
        assertFalse(flat.defined());
        assertTrue(flat.undefinedReason().contains("zero variance"));
    }
}

package org.normlab.report;

import org.apache.commons.statistics.distribution.TDistribution;

/**
 * Welch's two-sided t-test of {@code mean(a) - mean(b) = 0}, unequal variances allowed, with the
 * Welch–Satterthwaite degrees of freedom: the test that {@link WelchInterval} inverts, so p < 0.05
 * exactly when the 95% interval excludes 0. NaN (t, df, p) when the interval is undefined.
 */
record WelchTest(double t, double df, double p) {

    static final WelchTest UNDEFINED = new WelchTest(Double.NaN, Double.NaN, Double.NaN);

    static WelchTest of(Summary a, Summary b) {
        if (a.n() < 2 || b.n() < 2) {
            return UNDEFINED;
        }
        double va = a.variance() / a.n();
        double vb = b.variance() / b.n();
        double se = Math.sqrt(va + vb);
        if (se == 0) {
            return UNDEFINED;
        }
        double df = (va + vb) * (va + vb) / (va * va / (a.n() - 1) + vb * vb / (b.n() - 1));
        double t = (a.mean() - b.mean()) / se;
        return new WelchTest(t, df, twoSided(t, df));
    }

    /** P(|T| >= |t|) for Student's t with {@code df} degrees of freedom. */
    static double twoSided(double t, double df) {
        return Math.min(1, 2 * TDistribution.of(df).survivalProbability(Math.abs(t)));
    }

    boolean defined() {
        return !Double.isNaN(p);
    }
}

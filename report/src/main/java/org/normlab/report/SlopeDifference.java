package org.normlab.report;

import org.apache.commons.statistics.distribution.TDistribution;

/**
 * The difference of two independent OLS slopes, {@code a.slope - b.slope} (a norm's against bn's),
 * with standard error sqrt(se_a^2 + se_b^2) and Welch–Satterthwaite degrees of freedom
 * (se_a^2 + se_b^2)^2 / (se_a^4 / df_a + se_b^4 / df_b): the two norms' residual variances are
 * not assumed equal, as the report's Welch intervals of means do not assume it either. A t-interval
 * and the two-sided p of "the slopes are equal"; NaN when either slope is undefined.
 */
record SlopeDifference(double difference, double se, double df, double lower, double upper, double p) {

    static SlopeDifference of(Slope a, Slope b, double level) {
        if (!a.defined() || !b.defined()) {
            return new SlopeDifference(a.slope() - b.slope(), Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double va = a.se() * a.se();
        double vb = b.se() * b.se();
        double se = Math.sqrt(va + vb);
        double df = (va + vb) * (va + vb) / (va * va / a.df() + vb * vb / b.df());
        double difference = a.slope() - b.slope();
        double half = TDistribution.of(df).inverseCumulativeProbability(0.5 + level / 2) * se;
        return new SlopeDifference(difference, se, df, difference - half, difference + half,
                WelchTest.twoSided(difference / se, df));
    }

    boolean defined() {
        return !Double.isNaN(p);
    }
}

package org.normlab.report;

import org.apache.commons.statistics.distribution.TDistribution;

/**
 * The ordinary least-squares slope of y against x (y = a + slope * x + error), one point per
 * trial, with its standard error sqrt(s^2 / Sxx), s^2 = residual sum of squares / (n - 2), and
 * the t-interval on n - 2 degrees of freedom. Undefined (NaN) with fewer than 3 points, fewer
 * than 2 distinct x, or no residual spread at all ({@link #undefinedReason()} says which).
 */
record Slope(int n, double slope, double se, double df, double lower, double upper, String undefinedReason) {

    static Slope of(double[] x, double[] y, double level) {
        if (x.length != y.length) {
            throw new IllegalArgumentException(x.length + " x values but " + y.length + " y values");
        }
        int n = x.length;
        if (n < 3) {
            return undefined(n, Double.NaN, "needs n >= 3 trials (n = " + n + ")");
        }
        double mx = mean(x);
        double my = mean(y);
        double sxx = 0;
        double sxy = 0;
        for (int i = 0; i < n; i++) {
            sxx += (x[i] - mx) * (x[i] - mx);
            sxy += (x[i] - mx) * (y[i] - my);
        }
        if (sxx == 0) {
            return undefined(n, Double.NaN, "needs two or more strengths");
        }
        double slope = sxy / sxx;
        double rss = 0;
        for (int i = 0; i < n; i++) {
            double residual = y[i] - my - slope * (x[i] - mx);
            rss += residual * residual;
        }
        double df = n - 2;
        double se = Math.sqrt(rss / df / sxx);
        if (se == 0) {
            return undefined(n, slope, "the points lie exactly on a line");
        }
        double half = TDistribution.of(df).inverseCumulativeProbability(0.5 + level / 2) * se;
        return new Slope(n, slope, se, df, slope - half, slope + half, null);
    }

    private static Slope undefined(int n, double slope, String reason) {
        return new Slope(n, slope, Double.NaN, Double.NaN, Double.NaN, Double.NaN, "undefined: " + reason);
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double d : v) {
            s += d;
        }
        return s / v.length;
    }

    boolean defined() {
        return undefinedReason == null;
    }

    /** Two-sided p of slope = 0. */
    double p() {
        return defined() ? WelchTest.twoSided(slope / se, df) : Double.NaN;
    }
}

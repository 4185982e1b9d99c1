package org.normlab.report;

import java.util.Locale;
import org.apache.commons.statistics.distribution.TDistribution;

/**
 * Welch's t-interval for the difference of two means, {@code a - b}: unequal variances allowed,
 * degrees of freedom from the Welch–Satterthwaite equation. When it cannot be computed (either
 * side has fewer than two values, or both have zero variance) {@link #defined()} is false and
 * {@link #undefinedReason()} says why; the bounds are then NaN and nobody should print them.
 */
public record WelchInterval(
        double difference, double lower, double upper, double df, double level, String undefinedReason) {

    public static WelchInterval of(Summary a, Summary b, double level) {
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("confidence level must be in (0, 1), got " + level);
        }
        double difference = a.mean() - b.mean();
        if (a.n() < 2 || b.n() < 2) {
            return undefined(
                    difference,
                    level,
                    String.format(Locale.ROOT, "undefined: needs n >= 2 on both sides (n = %d vs %d)", a.n(), b.n()));
        }
        double va = a.variance() / a.n();
        double vb = b.variance() / b.n();
        double se = Math.sqrt(va + vb);
        if (se == 0) {
            return undefined(difference, level, "undefined: zero variance on both sides");
        }
        double df = (va + vb) * (va + vb) / (va * va / (a.n() - 1) + vb * vb / (b.n() - 1));
        double half = TDistribution.of(df).inverseCumulativeProbability(0.5 + level / 2) * se;
        return new WelchInterval(difference, difference - half, difference + half, df, level, null);
    }

    private static WelchInterval undefined(double difference, double level, String reason) {
        return new WelchInterval(difference, Double.NaN, Double.NaN, Double.NaN, level, reason);
    }

    public boolean defined() {
        return undefinedReason == null;
    }

    /** True when the interval is defined and does not contain zero. */
    public boolean excludesZero() {
        return defined() && (lower > 0 || upper < 0);
    }
}

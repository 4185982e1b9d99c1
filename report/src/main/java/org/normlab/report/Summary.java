package org.normlab.report;

import java.util.Collection;

/**
 * Mean and sample standard deviation (n - 1 denominator) of some values; {@code std} is NaN when
 * there are fewer than two values and {@code mean} is NaN when there are none.
 */
public record Summary(int n, double mean, double std) {

    public static final Summary EMPTY = new Summary(0, Double.NaN, Double.NaN);

    public static Summary of(Collection<Double> values) {
        return of(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    public static Summary of(double... values) {
        int n = values.length;
        if (n == 0) {
            return EMPTY;
        }
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        double mean = sum / n;
        if (n == 1) {
            return new Summary(1, mean, Double.NaN);
        }
        // Two passes: subtracting the mean first keeps the squares small and the result accurate.
        double squares = 0;
        for (double v : values) {
            squares += (v - mean) * (v - mean);
        }
        return new Summary(n, mean, Math.sqrt(squares / (n - 1)));
    }

    /** The sample variance, NaN when n < 2. */
    public double variance() {
        return std * std;
    }

    public boolean hasStd() {
        return n >= 2;
    }
}

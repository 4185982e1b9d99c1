package org.normlab.norm.conformance;

import java.util.Locale;

/**
 * The comparison of one quantity (an output, a running statistic or a gradient).
 *
 * @param quantity for example {@code train.grad_x}
 * @param maxAbsError the largest |actual - expected|
 * @param maxRelError the largest |actual - expected| / |expected| (elements with expected 0 skipped)
 * @param passed whether every element is within the tolerance
 */
public record QuantityCheck(String quantity, double maxAbsError, double maxRelError, boolean passed) {

    static QuantityCheck compare(String quantity, float[] actual, double[] expected, Tolerance tol) {
        if (actual.length != expected.length) {
            throw new IllegalArgumentException(
                    String.format("%s: the block gave %d values, the fixture has %d", quantity, actual.length, expected.length));
        }
        double maxAbs = 0;
        double maxRel = 0;
        boolean ok = true;
        for (int i = 0; i < actual.length; i++) {
            double err = Math.abs(actual[i] - expected[i]);
            if (Double.isNaN(err)) {
                err = Double.POSITIVE_INFINITY;
            }
            maxAbs = Math.max(maxAbs, err);
            if (expected[i] != 0) {
                maxRel = Math.max(maxRel, err / Math.abs(expected[i]));
            }
            ok &= tol.accepts(actual[i], expected[i]) && !Float.isNaN(actual[i]);
        }
        return new QuantityCheck(quantity, maxAbs, maxRel, ok);
    }

    @Override
    public String toString() {
        return String.format(
                Locale.ROOT, "%-28s max_abs=%.3e max_rel=%.3e %s", quantity, maxAbsError, maxRelError, passed ? "ok" : "FAIL");
    }
}

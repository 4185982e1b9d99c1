package org.normlab.norm.conformance;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The comparison of one quantity (an output, a running statistic or a gradient).
 *
 * @param quantity for example {@code train.grad_x}
 * @param maxAbsError the largest |actual - expected|
 * @param maxRelError the largest |actual - expected| / |expected| (elements with expected 0 skipped)
 * @param passed whether every element is within the tolerance
 * @param worstIndex the element furthest outside (or, when all pass, closest to) the tolerance,
 *     as an index into the quantity's shape: (N, C, H, W) for outputs and input gradients, (C)
 *     for per-channel values
 * @param expected the reference value at {@link #worstIndex}
 * @param actual the block's value at {@link #worstIndex}
 * @param tolerance the tolerance applied
 * @param axes the names of the quantity's axes for {@link #where()}, comma-separated ({@code
 *     N,C,H,W}, {@code C}); empty for a scalar (a parameter of one value that is not per channel)
 */
public record QuantityCheck(
        String quantity,
        double maxAbsError,
        double maxRelError,
        boolean passed,
        long[] worstIndex,
        double expected,
        double actual,
        Tolerance tolerance,
        String axes) {

    /**
     * @param shape the quantity's shape, to express the worst element's index
     * @param axes the names of its axes, see {@link #axes()}
     */
    static QuantityCheck compare(
            String quantity, long[] shape, String axes, float[] actual, double[] expected, Tolerance tol) {
        if (actual.length != expected.length) {
            throw new IllegalArgumentException(
                    String.format("%s: the block gave %d values, the fixture has %d", quantity, actual.length, expected.length));
        }
        double maxAbs = 0;
        double maxRel = 0;
        boolean ok = true;
        int worst = 0;
        double worstExcess = Double.NEGATIVE_INFINITY;
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
            // How many allowed errors this element is off: > 1 means outside the tolerance.
            double excess = err / tol.allowed(expected[i]);
            if (excess > worstExcess) {
                worstExcess = excess;
                worst = i;
            }
        }
        return new QuantityCheck(
                quantity, maxAbs, maxRel, ok, unravel(worst, shape), expected.length == 0 ? 0 : expected[worst],
                actual.length == 0 ? 0 : actual[worst], tol, axes);
    }

    /** The usual names of a quantity's axes by its rank: N,C,H,W for 4, C for 1, else "index". */
    static String axesOf(long[] shape) {
        return shape.length == 4 ? "N,C,H,W" : shape.length == 1 ? "C" : "index";
    }

    /** The row-major multi-index of flat index {@code flat} in {@code shape}. */
    static long[] unravel(long flat, long[] shape) {
        long[] index = new long[shape.length];
        for (int axis = shape.length - 1; axis >= 0; axis--) {
            index[axis] = flat % shape[axis];
            flat /= shape[axis];
        }
        return index;
    }

    /** The worst element's index, e.g. {@code (N,C,H,W)=(1,2,0,4)} or {@code (C)=(3)}; {@code (scalar)} for a scalar. */
    public String where() {
        if (axes.isEmpty()) {
            return "(scalar)";
        }
        return "(" + axes + ")=(" + Arrays.stream(worstIndex).mapToObj(Long::toString).collect(Collectors.joining(",")) + ")";
    }

    @Override
    public String toString() {
        String line = String.format(
                Locale.ROOT, "%-28s max_abs=%.3e max_rel=%.3e %s", quantity, maxAbsError, maxRelError, passed ? "ok" : "FAIL");
        if (passed) {
            return line;
        }
        return line + String.format(
                Locale.ROOT, " worst at %s: expected %.9g, actual %.9g, |diff| %.3e > allowed %.3e (atol %.0e + rtol %.0e * |expected|)",
                where(), expected, actual, Math.abs(actual - expected), tolerance.allowed(expected),
                tolerance.absolute(), tolerance.relative());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QuantityCheck q && quantity.equals(q.quantity) && Arrays.equals(worstIndex, q.worstIndex)
                && Double.compare(maxAbsError, q.maxAbsError) == 0 && passed == q.passed;
    }

    @Override
    public int hashCode() {
        return quantity.hashCode() * 31 + Arrays.hashCode(worstIndex);
    }
}

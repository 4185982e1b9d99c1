package org.normlab.norm.conformance;

/**
 * When a float32 result counts as equal to a float64 reference: |actual - expected| <=
 * absolute + relative * |expected| for every element (numpy's {@code allclose}).
 *
 * @param relative relative tolerance, 1e-4 by default
 * @param absolute absolute floor for values near zero, 1e-5 by default
 */
public record Tolerance(double relative, double absolute) {

    public static final Tolerance DEFAULT = new Tolerance(1e-4, 1e-5);

    public boolean accepts(double actual, double expected) {
        return Math.abs(actual - expected) <= allowed(expected);
    }

    /** The largest |actual - expected| accepted for this expected value. */
    public double allowed(double expected) {
        return absolute + relative * Math.abs(expected);
    }
}

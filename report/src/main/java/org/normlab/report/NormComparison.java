package org.normlab.report;

/**
 * One norm against the reference norm in the same other settings: the difference of their mean
 * final validation accuracies with a Welch interval.
 *
 * @param context the swept settings the two share (all but the norm keys)
 * @param reference null when the group has no reference (bn) row; the interval is then null too
 */
public record NormComparison(Settings context, GroupRow row, GroupRow reference, WelchInterval interval) {

    public String label() {
        return reference == null
                ? row.norm().label() + " − (no " + NormVariant.REFERENCE + " in this group)"
                : row.norm().label() + " − " + reference.norm().label();
    }
}

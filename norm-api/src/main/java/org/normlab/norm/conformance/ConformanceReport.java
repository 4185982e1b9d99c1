package org.normlab.norm.conformance;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The outcome of checking one norm against one fixture.
 *
 * @param norm the norm's name
 * @param fixture where the fixture came from
 * @param tolerance the tolerance applied
 * @param checks one entry per quantity
 * @param skipped what was not checked and why, e.g. {@code init.weight: random initialisation ...}
 */
public record ConformanceReport(
        String norm, String fixture, Tolerance tolerance, List<QuantityCheck> checks, List<String> skipped) {

    public ConformanceReport(String norm, String fixture, Tolerance tolerance, List<QuantityCheck> checks) {
        this(norm, fixture, tolerance, checks, List.of());
    }

    public boolean passed() {
        return checks.stream().allMatch(QuantityCheck::passed);
    }

    /** The failed quantities, empty when all passed. */
    public List<QuantityCheck> failures() {
        return checks.stream().filter(c -> !c.passed()).collect(Collectors.toList());
    }

    /** A readable table; the last line says PASS or FAIL. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(
                "norm %s vs %s (float32, rtol %.0e, atol %.0e)%n",
                norm, fixture, tolerance.relative(), tolerance.absolute()));
        for (QuantityCheck c : checks) {
            sb.append("  ").append(c).append(System.lineSeparator());
        }
        for (String s : skipped) {
            sb.append("  skipped ").append(s).append(System.lineSeparator());
        }
        sb.append(passed() ? "PASS" : "FAIL: " + failures().size() + " of " + checks.size() + " quantities out of tolerance");
        return sb.toString();
    }
}

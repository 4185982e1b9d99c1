package org.normlab.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.statistics.distribution.TDistribution;
import org.apache.commons.statistics.inference.TTest;

/**
 * The difference of two norms' final validation accuracy in one cell, paired by seed: a trial's
 * seed fixes its initialisation and its data order (the same for every norm: norm parameters start
 * at constants, so the convolutions draw the same values), so the two trials of one seed differ in
 * the norm only. The paired t-test (Student's t on the per-seed differences, n − 1 degrees of
 * freedom) and its interval; seeds present on one side only are left out.
 *
 * @param pairs how many seeds both sides have
 */
record PairedDifference(int pairs, double difference, double lower, double upper, double p) {

    private static final double ROUNDING = 1e-12;

    static final PairedDifference UNDEFINED = new PairedDifference(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    /** {@code a − b} over the seeds both have; undefined with fewer than two pairs or no spread. */
    static PairedDifference of(List<TrialOutcome> a, List<TrialOutcome> b, double level) {
        Map<Integer, Double> bySeedB = accuracyBySeed(b);
        List<double[]> paired = new ArrayList<>();
        accuracyBySeed(a).forEach((seed, acc) -> {
            if (bySeedB.containsKey(seed)) {
                paired.add(new double[] {acc, bySeedB.get(seed)});
            }
        });
        int n = paired.size();
        double[] x = paired.stream().mapToDouble(v -> v[0]).toArray();
        double[] y = paired.stream().mapToDouble(v -> v[1]).toArray();
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = x[i] - y[i];
        }
        Summary s = Summary.of(d);
        // accuracies are counts over the validation images: a spread this small is rounding, not data
        if (n < 2 || !(s.std() > ROUNDING)) {
            return n == 0 ? UNDEFINED : new PairedDifference(n, s.mean(), Double.NaN, Double.NaN, Double.NaN);
        }
        double half = TDistribution.of(n - 1).inverseCumulativeProbability(0.5 + level / 2) * s.std() / Math.sqrt(n);
        double p = TTest.withDefaults().pairedTest(x, y).getPValue();
        return new PairedDifference(n, s.mean(), s.mean() - half, s.mean() + half, p);
    }

    private static Map<Integer, Double> accuracyBySeed(List<TrialOutcome> trials) {
        Map<Integer, Double> bySeed = new TreeMap<>();
        for (TrialOutcome t : trials) {
            Double acc = t.metrics().get(Metric.FINAL_VAL_ACC.name());
            if (t.seed() != null && acc != null) {
                bySeed.put(t.seed(), acc);
            }
        }
        return bySeed;
    }

    boolean defined() {
        return !Double.isNaN(p);
    }
}

package org.normlab.report;

import static org.normlab.report.SweepFixture.history;
import static org.normlab.report.SweepFixture.metrics;
import static org.normlab.report.SweepFixture.swept;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A small sweep with hand-picked numbers: norm.name x data.batch_size, seeds 1-3.
 *
 * <pre>
 * bn/64    completed x3  final_val_acc 0.80 0.82 0.84   -> mean 0.82, sample std 0.02
 * iebn/64  completed x3  final_val_acc 0.85 0.86 0.90   -> mean 0.87, sample std sqrt(7e-4)
 * bn/128   completed 0.78 0.80, seed 3 diverged (its last metrics 0.30 must not count)
 * iebn/128 completed 0.83, seed 2 failed, seed 3 missing (planned, no result.json)
 * </pre>
 * Totals: 12 planned, 9 completed, 1 diverged, 1 failed, 1 missing.
 */
final class NormSweep {

    private NormSweep() {}

    static SweepFixture write(Path dir) {
        SweepFixture f = new SweepFixture(dir, "norms");
        for (String norm : List.of("bn", "iebn")) {
            for (int bs : List.of(64, 128)) {
                for (int seed = 1; seed <= 3; seed++) {
                    f.plan(id(norm, bs, seed), seed, swept("norm.name", norm, "data.batch_size", bs));
                }
            }
        }
        f.writePlan(Map.of("norm.name", List.of("bn", "iebn"), "data.batch_size", List.of(64, 128)), List.of(1, 2, 3));

        double[] bn64 = {0.80, 0.82, 0.84};
        double[] bn64best = {0.81, 0.83, 0.85};
        double[] bn64train = {0.90, 0.91, 0.95};
        double[] bn64loss = {0.50, 0.40, 0.45};
        double[] bn64ips = {600, 500, 700};
        double[] ie64 = {0.85, 0.86, 0.90};
        double[] ie64best = {0.86, 0.87, 0.91};
        double[] ie64loss = {0.40, 0.38, 0.36};
        for (int s = 1; s <= 3; s++) {
            f.result(id("bn", 64, s), s, swept("norm.name", "bn", "data.batch_size", 64), "completed",
                    metrics(bn64[s - 1], bn64best[s - 1], bn64train[s - 1], bn64loss[s - 1], 1000, bn64ips[s - 1]),
                    history(5, bn64[s - 1], 0.01 * s));
            f.result(id("iebn", 64, s), s, swept("norm.name", "iebn", "data.batch_size", 64), "completed",
                    metrics(ie64[s - 1], ie64best[s - 1], 0.93, ie64loss[s - 1], 1032, 550),
                    history(5, ie64[s - 1], 0.01 * s));
        }
        f.result(id("bn", 128, 1), 1, swept("norm.name", "bn", "data.batch_size", 128), "completed",
                metrics(0.78, 0.79, 0.85, 0.55, 1000, 900), history(5, 0.78, 0.01));
        f.result(id("bn", 128, 2), 2, swept("norm.name", "bn", "data.batch_size", 128), "completed",
                metrics(0.80, 0.81, 0.87, 0.53, 1000, 900), history(5, 0.80, 0.02));
        f.result(id("bn", 128, 3), 3, swept("norm.name", "bn", "data.batch_size", 128), "diverged",
                metrics(0.30, 0.31, 0.30, 2.0, 1000, 900), history(2, 0.30, 0.03));
        f.result(id("iebn", 128, 1), 1, swept("norm.name", "iebn", "data.batch_size", 128), "completed",
                metrics(0.83, 0.84, 0.88, 0.50, 1032, 850), history(5, 0.83, 0.01));
        f.result(id("iebn", 128, 2), 2, swept("norm.name", "iebn", "data.batch_size", 128), "failed", null, null);
        return f;
    }

    static String id(String norm, int bs, int seed) {
        return norm + "-" + bs + "-s" + seed;
    }

    static Settings settings(String norm, int bs) {
        var json = SweepFixture.JSON;
        return new Settings(Map.of("norm.name", json.getNodeFactory().textNode(norm),
                "data.batch_size", json.getNodeFactory().numberNode(bs)));
    }
}

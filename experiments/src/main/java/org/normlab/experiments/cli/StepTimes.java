package org.normlab.experiments.cli;

import ai.djl.ndarray.NDArray;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.statistics.descriptive.Median;

/**
 * The timed steps, the ones log.layers samples apart: what one sampled step costs against
 * the steps around it in the same process (which a throughput ratio of two processes cannot
 * separate from what else differs between them), and the most memory a step's manager held
 * at its end (DJL frees a step's arrays when it closes, so that is the step's peak; views
 * count as if they were copies).
 */
final class StepTimes {
    private final List<Long> plain = new ArrayList<>();
    private final List<Long> sampled = new ArrayList<>();
    private double plainHeldMb;
    private double sampledHeldMb;

    void add(boolean wasSampled, long nanos, double heldMb) {
        (wasSampled ? sampled : plain).add(nanos);
        if (wasSampled) {
            sampledHeldMb = Math.max(sampledHeldMb, heldMb);
        } else {
            plainHeldMb = Math.max(plainHeldMb, heldMb);
        }
    }

    static double megabytes(List<NDArray> arrays) {
        long bytes = 0;
        for (NDArray a : arrays) {
            bytes += a.getShape().size() * a.getDataType().getNumOfBytes();
        }
        return bytes / 1e6;
    }

    /**
     * STEPS unsampled=N median_ms=M held_mb=H [sampled=S sampled_median_ms=T sampled_held_mb=G
     * sampled_cost_steps=T/M]
     */
    String line() {
        String line = String.format(Locale.ROOT, "STEPS unsampled=%d median_ms=%.1f held_mb=%.1f",
                plain.size(), medianMs(plain), plainHeldMb);
        if (!sampled.isEmpty()) {
            line += String.format(Locale.ROOT, " sampled=%d sampled_median_ms=%.1f sampled_held_mb=%.1f sampled_cost_steps=%.2f",
                    sampled.size(), medianMs(sampled), sampledHeldMb, medianMs(sampled) / medianMs(plain));
        }
        return line;
    }

    private static double medianMs(List<Long> nanos) {
        return nanos.isEmpty() ? Double.NaN
                : Median.withDefaults().evaluate(nanos.stream().mapToDouble(Long::doubleValue).toArray()) / 1e6;
    }
}

package org.normlab.engine;

import java.util.List;

/**
 * The learning rate at any point of training, as a function of the (fractional) epoch:
 * {@link #constant}, {@link #multistep} (times gamma at each milestone epoch, like PyTorch's
 * MultiStepLR stepped per epoch) or {@link #cosine} (annealed to 0 by the last epoch), each
 * optionally {@link #afterWarmup after a linear warm-up}.
 */
@FunctionalInterface
public interface LrSchedule {

    /**
     * @param epoch 0-based epoch
     * @param fraction progress within the epoch, in [0, 1)
     */
    float at(int epoch, double fraction);

    static LrSchedule constant(double base) {
        return (epoch, fraction) -> (float) base;
    }

    static LrSchedule multistep(double base, List<Integer> milestones, double gamma) {
        List<Integer> steps = List.copyOf(milestones);
        return (epoch, fraction) -> (float) (base * Math.pow(gamma, steps.stream().filter(m -> m <= epoch).count()));
    }

    /** Cosine from {@code base} at epoch {@code from} down to 0 at epoch {@code epochs}. */
    static LrSchedule cosine(double base, int from, int epochs) {
        double span = Math.max(1, epochs - from);
        return (epoch, fraction) -> (float) (base * 0.5 * (1 + Math.cos(Math.PI * (epoch + fraction - from) / span)));
    }

    /** A linear warm-up from about 0 to {@code base} over the first {@code epochs}, then this schedule. */
    default LrSchedule afterWarmup(double base, int epochs) {
        return (epoch, fraction) -> {
            double t = epoch + fraction;
            return t < epochs ? (float) (base * (t + 1e-3) / epochs) : at(epoch, fraction);
        };
    }
}

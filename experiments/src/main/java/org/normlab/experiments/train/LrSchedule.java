package org.normlab.experiments.train;

import java.util.List;

/**
 * The learning rate at any point of training, as a function of the (fractional) epoch:
 * {@code constant}, {@code multistep} (times gamma at each milestone epoch, like PyTorch's
 * MultiStepLR stepped per epoch) or {@code cosine} (annealed to 0 over all epochs), after an
 * optional linear warm-up from lr/warmup-steps.
 */
public final class LrSchedule {

    private final String name;
    private final double base;
    private final List<Integer> milestones;
    private final double gamma;
    private final int warmupEpochs;
    private final int epochs;

    public LrSchedule(String name, double base, List<Integer> milestones, double gamma, int warmupEpochs, int epochs) {
        this.name = name;
        this.base = base;
        this.milestones = List.copyOf(milestones);
        this.gamma = gamma;
        this.warmupEpochs = warmupEpochs;
        this.epochs = epochs;
    }

    /**
     * @param epoch 0-based epoch
     * @param fraction progress within the epoch, in [0, 1)
     */
    public float at(int epoch, double fraction) {
        double t = epoch + fraction;
        if (t < warmupEpochs) {
            return (float) (base * (t + 1e-3) / warmupEpochs);
        }
        switch (name) {
            case "multistep":
                int passed = (int) milestones.stream().filter(m -> m <= epoch).count();
                return (float) (base * Math.pow(gamma, passed));
            case "cosine":
                double span = Math.max(1, epochs - warmupEpochs);
                return (float) (base * 0.5 * (1 + Math.cos(Math.PI * (t - warmupEpochs) / span)));
            default:
                return (float) base;
        }
    }
}

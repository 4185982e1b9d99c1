package org.normlab.models;

import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.XavierInitializer;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** How the ResNets' convolution weights are initialized ({@code model.init}). */
public enum ConvInit {
    /** Kaiming normal, fan_out, ReLU gain, as torchvision's ResNets: std = sqrt(2 / (out_channels * k * k)). */
    FAN_OUT(new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN, XavierInitializer.FactorType.OUT, 2)),
    /**
     * torch.nn.Conv2d's own reset_parameters: kaiming_uniform_ with a = sqrt(5), so gain sqrt(1/3)
     * and weight ~ U(-b, b) with b = gain * sqrt(3 / fan_in) = 1 / sqrt(in_channels * k * k).
     */
    PYTORCH((manager, shape, type) -> {
        float bound = (float) (1 / Math.sqrt(fanIn(shape)));
        return manager.randomUniform(-bound, bound, shape, type, manager.getDevice());
    });

    private final Initializer initializer;

    ConvInit(Initializer initializer) {
        this.initializer = initializer;
    }

    public Initializer initializer() {
        return initializer;
    }

    /** The spelling a sweep file uses: fan_out or pytorch. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The keys, as a sweep file spells them. */
    public static List<String> keys() {
        return Arrays.stream(values()).map(ConvInit::key).toList();
    }

    /** @throws IllegalArgumentException for a key that is not one of {@link #keys()} */
    public static ConvInit of(String key) {
        for (ConvInit i : values()) {
            if (i.key().equals(String.valueOf(key).trim().toLowerCase(Locale.ROOT))) {
                return i;
            }
        }
        throw new IllegalArgumentException("model.init '" + key + "' is unknown; allowed: " + String.join(", ", keys()));
    }

    /** A convolution weight's (out, in, k, k) shape: in * k * k. */
    static long fanIn(Shape weight) {
        return weight.size() / weight.get(0);
    }
}

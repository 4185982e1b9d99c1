package org.normlab.instruments;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import org.normlab.norm.Standardizer;

/**
 * Replaces the batch-normalized step of each layer for a while and puts the very same step
 * objects back on close. The instruments observe a layer through its step ({@link
 * org.normlab.norm.Standardizable}), the one place every {@code AbstractBatchNormBlock} routes
 * its normalization through when the step is not the plain one; a layer then takes its generic
 * (unfused) path: the same formula, rounding may differ in the last bits. A {@link
 * org.normlab.norm.WatchedBatchStep} replacement is the exception: layers keep their fused path.
 */
final class StepSwap implements AutoCloseable {

    private final List<NormLayer> layers;
    private final List<Standardizer> originals = new ArrayList<>();

    /**
     * @param replace given a layer and its current step, the step to use meanwhile
     */
    StepSwap(List<NormLayer> layers, BiFunction<NormLayer, Standardizer, Standardizer> replace) {
        this.layers = layers;
        try {
            for (NormLayer layer : layers) {
                Standardizer current = layer.block().getStandardizer();
                Standardizer replacement = replace.apply(layer, current);
                originals.add(current);
                layer.block().setStandardizer(replacement);
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    @Override
    public void close() {
        for (int i = 0; i < originals.size(); i++) {
            layers.get(i).block().setStandardizer(originals.get(i));
        }
    }
}

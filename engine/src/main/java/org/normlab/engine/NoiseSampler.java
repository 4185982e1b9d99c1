package org.normlab.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.normlab.instruments.BatchNoise;
import org.normlab.instruments.NormLayer;

/**
 * batch_noise on a sampled step, for {@link LayerLog}: the step's batch against other training
 * images ({@link LayerLog.OtherImages}), measured before the step trains ({@link BatchNoise}).
 */
final class NoiseSampler {

    private static final Set<String> NOTED = ConcurrentHashMap.newKeySet();

    private final Block model;
    private final List<NormLayer> layers;
    private final LayerLog.OtherImages others;
    private final Consumer<String> note;

    NoiseSampler(Block model, List<NormLayer> layers, LayerLog.OtherImages others, Consumer<String> note) {
        this.model = model;
        this.layers = layers;
        this.others = others;
        this.note = note;
    }

    /**
     * batch_noise of this step's batch x (A = its first half, B the rest) against C, the first
     * |B| of the other images; null (empty cells) when x has fewer than 2 samples or there are
     * no other images.
     */
    BatchNoise.Values measure(long step, int epoch, int batch, NDArray x) {
        if (x == null) {
            throw new IllegalStateException("log.layers.batch_noise needs the step's batch: call beforeStep(step, epoch, batch, x)");
        }
        long n = x.getShape().get(0);
        if (n < 2) {
            return null;
        }
        try (NDManager scratch = x.getManager().newSubManager()) {
            NDArray c = others.images(scratch, epoch, batch, n - n / 2);
            if (c == null) {
                if (NOTED.add("batch_noise: no other images")) {
                    note.accept("log.layers.batch_noise: the training data has no images outside the step's batch, "
                            + "so batch_noise is left empty");
                }
                return null;
            }
            return BatchNoise.measure(model, layers, x, c, engineSeed(step));
        }
    }

    /** The engine's seed for batch_noise's passes at this step (the loop reseeds for the step itself). */
    static int engineSeed(long step) {
        return Long.hashCode((step + 1) * 0xC2B2AE3D27D4EB4FL);
    }
}

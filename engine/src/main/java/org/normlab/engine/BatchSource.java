package org.normlab.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;

/** Batches of one split, in a seeded order per epoch; what the training loop consumes. */
public interface BatchSource {

    /** Number of images per epoch. */
    int size();

    /** Number of batches per epoch. */
    int batches();

    /** Names of the mixed components (empty for a plain dataset). */
    List<String> componentNames();

    /**
     * Calls {@code consumer} with every batch of {@code epoch}. The arrays belong to
     * {@code manager}'s scope for the duration of the call and are closed afterwards.
     */
    void forEachBatch(NDManager manager, int epoch, Consumer consumer);

    /**
     * The images x of batch {@code batch} of {@code epoch} alone, exactly as {@link #forEachBatch}
     * hands them over, owned by {@code manager}; callable while an epoch is under way (for
     * log.layers.batch_noise's other images). Sources that cannot do it say so.
     *
     * @throws UnsupportedOperationException when this source hands out whole epochs only
     */
    default NDArray images(NDManager manager, int epoch, int batch) {
        throw new UnsupportedOperationException("this batch source cannot hand out one batch alone");
    }

    /** Receives one batch: x (N, C, H, W) float32, y (N) class indices, component per sample. */
    @FunctionalInterface
    interface Consumer {
        void accept(NDArray x, NDArray y, int[] components);
    }
}

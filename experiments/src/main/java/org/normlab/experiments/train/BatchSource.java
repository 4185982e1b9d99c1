package org.normlab.experiments.train;

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

    /** Receives one batch: x (N, C, H, W) float32, y (N) class indices, component per sample. */
    @FunctionalInterface
    interface Consumer {
        void accept(NDArray x, NDArray y, int[] components);
    }
}

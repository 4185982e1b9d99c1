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
     * Calls {@code consumer} with batches {@code from} to {@code to - 1} of {@code epoch}, with
     * their numbers, exactly as {@link #forEachBatch} hands them over (so that a loop can start
     * in the middle of an epoch, and end there, without an exception). This default still makes
     * the epoch's other batches and passes them over; a source that can make batches alone
     * overrides it.
     */
    default void forEachBatch(NDManager manager, int epoch, int from, int to, NumberedConsumer consumer) {
        int[] next = {0};
        forEachBatch(manager, epoch, (x, y, components) -> {
            int batch = next[0]++;
            if (batch >= from && batch < to) {
                consumer.accept(batch, x, y, components);
            }
        });
    }

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

    /** Receives one batch and its number in the epoch (from 0). */
    @FunctionalInterface
    interface NumberedConsumer {
        void accept(int batch, NDArray x, NDArray y, int[] components);
    }
}

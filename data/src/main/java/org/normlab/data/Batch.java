package org.normlab.data;

import ai.djl.ndarray.NDArray;

/**
 * One batch from a {@link BatchLoader}, valid only inside {@link BatchConsumer#accept}: the loader
 * closes {@code x}, {@code y} and everything attached to their manager when the consumer returns.
 *
 * @param index the batch's position in the epoch, from 0
 * @param x the images, float32, N x C x H x W, transformed by the loader's pipeline
 * @param y the class indices as float32, shape (N)
 * @param labels the same class indices as Java ints (for accuracy bookkeeping without reading y)
 * @param components the component of each image (all 0 for a plain dataset)
 * @param indices the index of each image in the loader's {@link ImageSet}
 */
public record Batch(
        int index, NDArray x, NDArray y, int[] labels, int[] components, int[] indices) {

    /** The number of images N. */
    public int size() {
        return labels.length;
    }
}

package org.normlab.data;

/**
 * A batch of float images in NCHW order, the working state of a {@link TransformPipeline}. It
 * owns two buffers that only grow, so a pipeline run over many batches allocates nothing once
 * warmed up: a transform that changes the shape writes into {@link #target} and then {@link
 * #commit}s, which swaps the buffers.
 */
public final class FloatBatch {

    private int n;
    private ImageShape shape;
    private float[] data = new float[0];
    private float[] spare = new float[0];

    /** Makes room for n images of this shape (contents undefined) and returns the data buffer. */
    public float[] reset(int n, ImageShape shape) {
        this.n = n;
        this.shape = shape;
        int size = Math.multiplyExact(n, shape.size());
        if (data.length < size) {
            data = new float[size];
        }
        return data;
    }

    /** The number of images. */
    public int n() {
        return n;
    }

    public ImageShape shape() {
        return shape;
    }

    /** The current values; only the first n * shape.size() are meaningful. */
    public float[] data() {
        return data;
    }

    /** A buffer with room for n images of {@code next}, for a transform to write its output. */
    public float[] target(ImageShape next) {
        int size = Math.multiplyExact(n, next.size());
        if (spare.length < size) {
            spare = new float[size];
        }
        return spare;
    }

    /** Makes the target buffer, filled with images of {@code next}, the current data. */
    public void commit(ImageShape next) {
        float[] t = data;
        data = spare;
        spare = t;
        shape = next;
    }
}

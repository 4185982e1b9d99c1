package org.normlab.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/**
 * The memory a {@link BatchLoader} reuses for every batch, so that memory stays flat: the
 * pipeline's float images ({@link #staging}), and one direct buffer for x and one for y. DJL's
 * PyTorch engine aliases a direct buffer when it creates an array from it ({@code
 * torch::from_blob}, no copy), which would let the next batch overwrite an array still in use;
 * so each batch's arrays are copied out of the buffers at once ({@code duplicate()}, memory owned
 * by libtorch) and the aliasing arrays closed.
 */
final class BatchBuffers {

    /** A batch moved out of the staging area into the direct buffers, waiting to become arrays. */
    record Staged(int index, int[] indices, int[] labels, int[] components) {}

    private final ImageSet set;
    private final ImageShape outputShape;
    private final ByteBuffer xBytes;
    private final FloatBuffer xFloats;
    private final ByteBuffer yBytes;
    private final FloatBuffer yFloats;
    private final FloatBatch staging = new FloatBatch();

    /** Room for {@code batchSize} images of the set, as the pipeline outputs them. */
    BatchBuffers(ImageSet set, ImageShape outputShape, int batchSize) {
        this.set = set;
        this.outputShape = outputShape;
        this.xBytes = ByteBuffer.allocateDirect(Math.multiplyExact(batchSize * 4, outputShape.size()))
                .order(ByteOrder.nativeOrder());
        this.xFloats = xBytes.asFloatBuffer();
        this.yBytes = ByteBuffer.allocateDirect(batchSize * 4).order(ByteOrder.nativeOrder());
        this.yFloats = yBytes.asFloatBuffer();
    }

    /** Where the pipeline writes a batch's images; free again once {@link #stage} returns. */
    FloatBatch staging() {
        return staging;
    }

    /** Moves the staged images of batch {@code index} (the set's {@code indices}) and their labels into the direct buffers. */
    Staged stage(int index, int[] indices) {
        int[] labels = new int[indices.length];
        int[] components = new int[indices.length];
        xFloats.clear();
        xFloats.put(staging.data(), 0, indices.length * outputShape.size());
        yFloats.clear();
        for (int k = 0; k < indices.length; k++) {
            labels[k] = set.label(indices[k]);
            components[k] = set.component(indices[k]);
            yFloats.put(labels[k]);
        }
        return new Staged(index, indices, labels, components);
    }

    /** The direct buffers' contents as a batch whose arrays belong to {@code manager}. */
    Batch toBatch(NDManager manager, Staged s) {
        int count = s.indices().length;
        NDArray x = copyOf(manager, xBytes, count * outputShape.size() * 4,
                new Shape(count, outputShape.channels(), outputShape.height(), outputShape.width()));
        NDArray y = copyOf(manager, yBytes, count * 4, new Shape(count));
        return new Batch(s.index(), x, y, s.labels(), s.components(), s.indices());
    }

    /** An array owning a copy of the buffer's first {@code bytes} bytes. */
    private static NDArray copyOf(NDManager manager, ByteBuffer buffer, int bytes, Shape shape) {
        buffer.position(0).limit(bytes);
        try (NDArray alias = manager.create(buffer, shape, DataType.FLOAT32)) {
            return alias.duplicate();
        } finally {
            buffer.clear();
        }
    }
}

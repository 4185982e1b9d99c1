package org.normlab.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Feeds an {@link ImageSet} to a training or evaluation loop as DJL batches.
 *
 * <p>Order: with shuffle, epoch e visits the images in a permutation that depends only on (seed,
 * e); without, in set order. Each image is visited once per epoch (with dropLast the last
 * incomplete batch is left out). Random transforms of batch b of epoch e draw from a generator
 * seeded with (seed, e, b), so a run is reproducible whether or not prefetching is on.
 *
 * <p>Memory: the loader owns one direct buffer for x and one for y, reused for every batch, so
 * memory stays flat. DJL's PyTorch engine aliases a direct buffer when it creates an array from
 * it ({@code torch::from_blob}, no copy), which would let the next batch overwrite an array
 * still in use; so each batch's arrays are copied out of the buffers at once ({@code
 * duplicate()}, memory owned by libtorch) and the aliasing arrays closed. Who closes what: the
 * loader creates a sub-manager of the caller's manager per batch, puts x and y in it and closes
 * it when the consumer returns; the caller closes its own manager and the loader ({@link
 * #close}, which stops the prefetch thread).
 *
 * <p>With prefetch on, one background thread transforms the next batch while the consumer
 * works on the current one. Not thread-safe: one epoch at a time.
 */
public final class BatchLoader implements AutoCloseable {

    private final ImageSet set;
    private final int batchSize;
    private final boolean shuffle;
    private final boolean dropLast;
    private final TransformPipeline pipeline;
    private final long seed;
    private final ImageShape outputShape;
    private final ByteBuffer xBytes;
    private final FloatBuffer xFloats;
    private final ByteBuffer yBytes;
    private final FloatBuffer yFloats;
    private final FloatBatch staging = new FloatBatch();
    private final ExecutorService prefetcher;
    private Future<?> pending;

    private BatchLoader(Builder b) {
        this.set = b.set;
        this.batchSize = b.batchSize;
        this.shuffle = b.shuffle;
        this.dropLast = b.dropLast;
        this.pipeline = b.pipeline;
        this.seed = b.seed;
        this.outputShape = pipeline.outputShape(set.shape());
        this.xBytes = ByteBuffer.allocateDirect(Math.multiplyExact(batchSize * 4, outputShape.size()))
                .order(ByteOrder.nativeOrder());
        this.xFloats = xBytes.asFloatBuffer();
        this.yBytes = ByteBuffer.allocateDirect(batchSize * 4).order(ByteOrder.nativeOrder());
        this.yFloats = yBytes.asFloatBuffer();
        this.prefetcher = b.prefetch ? Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "batch-prefetch");
            t.setDaemon(true);
            return t;
        }) : null;
    }

    /** A loader over {@code set}; set at least {@link Builder#batchSize}. */
    public static Builder builder(ImageSet set) {
        return new Builder(set);
    }

    public ImageSet set() {
        return set;
    }

    public int batchSize() {
        return batchSize;
    }

    /** The shape of each image in x: the pipeline's output for the set's images. */
    public ImageShape outputShape() {
        return outputShape;
    }

    public TransformPipeline pipeline() {
        return pipeline;
    }

    /** Batches per epoch. */
    public int numBatches() {
        int n = set.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /** The order in which epoch {@code epoch} visits the set's images. */
    public int[] order(int epoch) {
        if (!shuffle) {
            int[] identity = new int[set.size()];
            Arrays.setAll(identity, i -> i);
            return identity;
        }
        return Seeds.permutation(set.size(), new SplittableRandom(Seeds.mix(seed, epoch)));
    }

    /**
     * Runs one epoch: builds every batch and hands it to the consumer, on the calling thread.
     *
     * @param manager the manager under which each batch's sub-manager is created (its device is
     *     the batch's device)
     */
    public void forEachBatch(NDManager manager, int epoch, BatchConsumer consumer) {
        awaitPending();
        int[] order = order(epoch);
        int batches = numBatches();
        int values = outputShape.size();
        try {
            if (prefetcher != null && batches > 0) {
                pending = prefetcher.submit(() -> prepare(order, epoch, 0));
            }
            for (int b = 0; b < batches; b++) {
                if (prefetcher != null) {
                    awaitPending();
                } else {
                    prepare(order, epoch, b);
                }
                int from = b * batchSize;
                int count = Math.min(batchSize, order.length - from);
                int[] indices = Arrays.copyOfRange(order, from, from + count);
                int[] labels = new int[count];
                int[] components = new int[count];
                stage(indices, labels, components, values);
                if (prefetcher != null && b + 1 < batches) {
                    int next = b + 1;
                    pending = prefetcher.submit(() -> prepare(order, epoch, next));
                }
                try (NDManager batchManager = manager.newSubManager()) {
                    consumer.accept(toBatch(batchManager, b, indices, labels, components, values));
                }
            }
        } finally {
            awaitPending();
        }
    }

    /**
     * Batch {@code b} of {@code epoch} alone, exactly as {@link #forEachBatch} hands it over (the
     * same images in the same order, the same random transforms), its arrays owned by
     * {@code manager}; for instruments that need particular training images. Only on a loader
     * without prefetch, and not while this loader runs an epoch: it reuses the loader's buffers.
     *
     * @throws DatasetException when b is not a batch of an epoch, or prefetch is on
     */
    public Batch batch(NDManager manager, int epoch, int b) {
        if (prefetcher != null) {
            throw new DatasetException("batch(epoch, b) needs a loader without prefetch");
        }
        if (b < 0 || b >= numBatches()) {
            throw new DatasetException("batch " + b + " does not exist: an epoch has batches 0 to " + (numBatches() - 1));
        }
        int[] order = order(epoch);
        prepare(order, epoch, b);
        int from = b * batchSize;
        int count = Math.min(batchSize, order.length - from);
        int[] indices = Arrays.copyOfRange(order, from, from + count);
        int[] labels = new int[count];
        int[] components = new int[count];
        int values = outputShape.size();
        stage(indices, labels, components, values);
        return toBatch(manager, b, indices, labels, components, values);
    }

    /** Moves the staged images and their labels into the direct buffers. */
    private void stage(int[] indices, int[] labels, int[] components, int values) {
        xFloats.clear();
        xFloats.put(staging.data(), 0, indices.length * values);
        yFloats.clear();
        for (int k = 0; k < indices.length; k++) {
            labels[k] = set.label(indices[k]);
            components[k] = set.component(indices[k]);
            yFloats.put(labels[k]);
        }
    }

    /** The buffers' contents as a batch whose arrays belong to {@code manager}. */
    private Batch toBatch(NDManager manager, int b, int[] indices, int[] labels, int[] components, int values) {
        int count = indices.length;
        NDArray x = copyOf(manager, xBytes, count * values * 4,
                new Shape(count, outputShape.channels(), outputShape.height(), outputShape.width()));
        NDArray y = copyOf(manager, yBytes, count * 4, new Shape(count));
        return new Batch(b, x, y, labels, components, indices);
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

    private void prepare(int[] order, int epoch, int b) {
        int from = b * batchSize;
        int count = Math.min(batchSize, order.length - from);
        SplittableRandom random = new SplittableRandom(Seeds.mix(seed, epoch, b, 0x7A));
        pipeline.apply(set, order, from, count, staging, random);
    }

    private void awaitPending() {
        if (pending == null) {
            return;
        }
        Future<?> f = pending;
        pending = null;
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatasetException("interrupted while waiting for the next batch", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new DatasetException("preparing a batch failed: " + cause, cause);
        }
    }

    /** Stops the prefetch thread. The direct buffers are freed when the loader is collected. */
    @Override
    public void close() {
        if (prefetcher != null) {
            prefetcher.shutdownNow();
        }
    }

    /** Settings of a {@link BatchLoader}. */
    public static final class Builder {
        private final ImageSet set;
        private int batchSize;
        private boolean shuffle;
        private boolean dropLast;
        private TransformPipeline pipeline = TransformPipeline.identity();
        private long seed;
        private boolean prefetch;

        private Builder(ImageSet set) {
            if (set == null) {
                throw new DatasetException("a batch loader needs an image set");
            }
            this.set = set;
        }

        /** Images per batch (required). */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Visit the images in a new seeded order every epoch (default: false, set order). */
        public Builder shuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /** Leave out the last batch when it is smaller than the batch size (default false). */
        public Builder dropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        /** The transforms (default: only the conversion to [0, 1]). */
        public Builder pipeline(TransformPipeline pipeline) {
            this.pipeline = pipeline;
            return this;
        }

        /** Seed of the shuffles and of the random transforms (default 0). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Transform the next batch on a background thread (default false). */
        public Builder prefetch(boolean prefetch) {
            this.prefetch = prefetch;
            return this;
        }

        public BatchLoader build() {
            if (batchSize < 1) {
                throw new DatasetException("the batch size must be >= 1, got " + batchSize);
            }
            if (dropLast && set.size() < batchSize) {
                throw new DatasetException(
                        String.format(
                                "%s has %d images, fewer than one batch of %d: with drop_last "
                                        + "there would be no batch at all",
                                set.name(), set.size(), batchSize));
            }
            if (pipeline == null) {
                throw new DatasetException("a batch loader needs a transform pipeline");
            }
            return new BatchLoader(this);
        }
    }
}

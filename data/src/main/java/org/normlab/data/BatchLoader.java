package org.normlab.data;

import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Feeds an {@link ImageSet} to a training or evaluation loop as DJL batches.
 *
 * <p>Order: with shuffle, epoch e visits the images in a permutation that depends only on (seed,
 * e); without, in set order. Each image is visited once per epoch (with dropLast the last
 * incomplete batch is left out). Random transforms of batch b of epoch e draw from a generator
 * seeded with (seed, e, b), so a run is reproducible whether or not prefetching is on.
 *
 * <p>Memory: the loader reuses one set of {@link BatchBuffers} for every batch. Who closes what:
 * the loader creates a sub-manager of the caller's manager per batch, puts x and y in it and
 * closes it when the consumer returns; the caller closes its own manager and the loader ({@link
 * #close}, which stops the prefetch thread).
 *
 * <p>With prefetch on, one background thread ({@link Prefetch}) transforms the next batch while
 * the consumer works on the current one. Not thread-safe: one epoch at a time.
 */
public final class BatchLoader implements AutoCloseable {

    private final ImageSet set;
    private final int batchSize;
    private final boolean shuffle;
    private final boolean dropLast;
    private final TransformPipeline pipeline;
    private final long seed;
    private final ImageShape outputShape;
    private final BatchBuffers buffers;
    /** Null when prefetch is off. */
    private final Prefetch prefetch;

    private BatchLoader(Builder b) {
        this.set = b.set;
        this.batchSize = b.batchSize;
        this.shuffle = b.shuffle;
        this.dropLast = b.dropLast;
        this.pipeline = b.pipeline;
        this.seed = b.seed;
        this.outputShape = pipeline.outputShape(set.shape());
        this.buffers = new BatchBuffers(set, outputShape, batchSize);
        this.prefetch = b.prefetch ? new Prefetch() : null;
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
        forEachBatch(manager, epoch, 0, numBatches(), consumer);
    }

    /**
     * Batches {@code from} to {@code to - 1} of {@code epoch} alone, exactly as {@link
     * #forEachBatch(NDManager, int, BatchConsumer)} hands them over; the epoch's other batches are
     * not made (a training loop resuming in the middle of an epoch, or ending there).
     *
     * @throws DatasetException when the range is not within the epoch's batches
     */
    public void forEachBatch(NDManager manager, int epoch, int from, int to, BatchConsumer consumer) {
        if (from < 0 || from > to || to > numBatches()) {
            throw new DatasetException("batches " + from + " to " + (to - 1) + " are not within an epoch's batches 0 to "
                    + (numBatches() - 1));
        }
        awaitPending();
        int[] order = order(epoch);
        try {
            if (prefetch != null && from < to) {
                prefetch.submit(() -> prepare(order, epoch, from));
            }
            for (int b = from; b < to; b++) {
                if (prefetch != null) {
                    prefetch.await();
                } else {
                    prepare(order, epoch, b);
                }
                BatchBuffers.Staged staged = buffers.stage(b, indices(order, b));
                if (prefetch != null && b + 1 < to) {
                    int next = b + 1;
                    prefetch.submit(() -> prepare(order, epoch, next));
                }
                try (NDManager batchManager = manager.newSubManager()) {
                    consumer.accept(buffers.toBatch(batchManager, staged));
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
        if (prefetch != null) {
            throw new DatasetException("batch(epoch, b) needs a loader without prefetch");
        }
        if (b < 0 || b >= numBatches()) {
            throw new DatasetException("batch " + b + " does not exist: an epoch has batches 0 to " + (numBatches() - 1));
        }
        int[] order = order(epoch);
        prepare(order, epoch, b);
        return buffers.toBatch(manager, buffers.stage(b, indices(order, b)));
    }

    /** The set's indices of the images of batch {@code b}, in the epoch's order. */
    private int[] indices(int[] order, int b) {
        int from = b * batchSize;
        return Arrays.copyOfRange(order, from, from + Math.min(batchSize, order.length - from));
    }

    /** Transforms batch {@code b}'s images into the staging area, with the batch's own random numbers. */
    private void prepare(int[] order, int epoch, int b) {
        int from = b * batchSize;
        int count = Math.min(batchSize, order.length - from);
        SplittableRandom random = new SplittableRandom(Seeds.mix(seed, epoch, b, 0x7A));
        pipeline.apply(set, order, from, count, buffers.staging(), random);
    }

    private void awaitPending() {
        if (prefetch != null) {
            prefetch.await();
        }
    }

    /** Stops the prefetch thread. The direct buffers are freed when the loader is collected. */
    @Override
    public void close() {
        if (prefetch != null) {
            prefetch.close();
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

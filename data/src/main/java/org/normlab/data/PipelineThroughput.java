package org.normlab.data;

import ai.djl.ndarray.NDManager;

/**
 * Measures how many images per second the input pipeline delivers: pixels already in memory,
 * transformed, batched and turned into DJL arrays by a {@link BatchLoader}, with a consumer that
 * does nothing. Compare it with the training rate: the pipeline should be several times faster.
 */
public final class PipelineThroughput {

    /** A measurement: images delivered over wall-clock seconds, after a warm-up. */
    public record Result(long images, double seconds, double imagesPerSecond) {
        @Override
        public String toString() {
            return String.format("%.0f img/s (%d images in %.3f s)", imagesPerSecond, images, seconds);
        }
    }

    private PipelineThroughput() {}

    /**
     * Runs shuffled epochs of {@code set} through {@code pipeline} until {@code batches} batches
     * have been timed, after {@code warmupBatches} untimed ones (JIT warm-up).
     */
    public static Result measure(
            NDManager manager, ImageSet set, TransformPipeline pipeline, int batchSize,
            int warmupBatches, int batches, boolean prefetch) {
        try (BatchLoader loader = BatchLoader.builder(set).batchSize(batchSize).shuffle(true)
                .dropLast(true).pipeline(pipeline).seed(1).prefetch(prefetch).build()) {
            run(manager, loader, warmupBatches);
            long start = System.nanoTime();
            long images = run(manager, loader, batches);
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Result(images, seconds, images / seconds);
        }
    }

    private static long run(NDManager manager, BatchLoader loader, int batches) {
        long[] images = {0};
        int[] left = {batches};
        for (int epoch = 0; left[0] > 0; epoch++) {
            try {
                loader.forEachBatch(manager, epoch, batch -> {
                    if (left[0] <= 0) {
                        throw Stop.INSTANCE;
                    }
                    images[0] += batch.size();
                    left[0]--;
                });
            } catch (Stop stop) {
                // enough batches
            }
        }
        return images[0];
    }

    /** Ends an epoch early. */
    private static final class Stop extends RuntimeException {
        static final Stop INSTANCE = new Stop();

        private Stop() {
            super(null, null, false, false);
        }
    }
}

package org.normlab.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which batch batch_noise takes its other images C from. */
class OtherImagesTest {

    /** nb batches of the given sizes; each image's value is 100 x epoch + its batch index, so a test sees where C came from. */
    private static BatchSource source(int... sizes) {
        return new BatchSource() {
            @Override
            public int size() {
                return java.util.Arrays.stream(sizes).sum();
            }

            @Override
            public int batches() {
                return sizes.length;
            }

            @Override
            public List<String> componentNames() {
                return List.of();
            }

            @Override
            public void forEachBatch(NDManager manager, int epoch, Consumer consumer) {
                throw new AssertionError("C is fetched alone, never by running an epoch");
            }

            @Override
            public NDArray images(NDManager manager, int epoch, int batch) {
                float[] x = new float[sizes[batch]];
                java.util.Arrays.fill(x, 100 * epoch + batch);
                return manager.create(x, new Shape(sizes[batch], 1, 1, 1));
            }
        };
    }

    /** The batch half an epoch away, in the same epoch: (b + nb/2) mod nb. */
    @Test
    void theBatchHalfAnEpochAway() {
        try (NDManager manager = NDManager.newBaseManager()) {
            LayerLog.OtherImages others = LayerLog.OtherImages.from(source(4, 4, 4, 4, 4));
            List<Float> from = new ArrayList<>();
            for (int b = 0; b < 5; b++) {
                from.add(others.images(manager, 3, b, 2).getFloat(0, 0, 0, 0));
            }
            assertEquals(List.of(302f, 303f, 304f, 300f, 301f), from);
        }
    }

    /** A batch too small for |B| is passed over (never the step's own); a single batch has no other images. */
    @Test
    void tooSmallBatchesAndSingleBatchEpochs() {
        try (NDManager manager = NDManager.newBaseManager()) {
            LayerLog.OtherImages others = LayerLog.OtherImages.from(source(8, 8, 1));
            assertEquals(0f, others.images(manager, 0, 1, 4).getFloat(0, 0, 0, 0), "batch 2 has 1 image, then batch 0");
            assertEquals(1f, others.images(manager, 0, 0, 4).getFloat(0, 0, 0, 0));
            assertNull(LayerLog.OtherImages.from(source(2, 8)).images(manager, 0, 1, 4), "batch 0 too small, batch 1 the step's own");
            assertNull(LayerLog.OtherImages.from(source(8)).images(manager, 0, 0, 4));
        }
    }
}

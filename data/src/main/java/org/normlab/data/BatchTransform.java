package org.normlab.data;

import java.util.SplittableRandom;

/**
 * One step of a {@link TransformPipeline}, applied to a whole batch of float images. Random
 * steps draw only from the generator they are given, in sample order, so a batch's result
 * depends only on the pipeline's seed, the epoch and the batch index.
 */
public interface BatchTransform {

    /**
     * The shape of the output images for input images of {@code input}.
     *
     * @throws DatasetException when this step cannot take such images
     */
    ImageShape outputShape(ImageShape input);

    /** Transforms the batch in place (or via {@link FloatBatch#target}/{@link FloatBatch#commit}). */
    void apply(FloatBatch batch, SplittableRandom random);

    /** True when the output depends on the random generator. */
    boolean isRandom();
}

package org.normlab.data;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;

/**
 * The per-batch input pipeline: uint8 pixels to float in [0, 1] (v / 255, as torchvision's
 * ToTensor), then each {@link BatchTransform} in order. Immutable and shareable; the mutable
 * working state lives in the {@link FloatBatch} a caller passes in (one per thread).
 */
public final class TransformPipeline {

    /** The per-channel mean and std of the CIFAR-10 training set used by the IEBN authors. */
    public static final double[] CIFAR10_MEAN = {0.4914, 0.4822, 0.4465};
    public static final double[] CIFAR10_STD = {0.2023, 0.1994, 0.2010};

    private static final float[] TO_FLOAT = new float[256];

    static {
        for (int v = 0; v < 256; v++) {
            TO_FLOAT[v] = v / 255f;
        }
    }

    private final List<BatchTransform> steps;

    private TransformPipeline(List<BatchTransform> steps) {
        this.steps = List.copyOf(steps);
    }

    /** These steps in order, after the conversion to [0, 1]. */
    public static TransformPipeline of(BatchTransform... steps) {
        return new TransformPipeline(List.of(steps));
    }

    public static TransformPipeline of(List<BatchTransform> steps) {
        return new TransformPipeline(steps);
    }

    /** Only the conversion to [0, 1]. */
    public static TransformPipeline identity() {
        return new TransformPipeline(List.of());
    }

    /**
     * The IEBN paper's CIFAR training pipeline: random crop (same size) with zero padding 4,
     * horizontal flip with p = 0.5, normalize.
     */
    public static TransformPipeline paperTrain(double[] mean, double[] std) {
        return of(Transforms.randomCrop(4), Transforms.horizontalFlip(0.5),
                Transforms.normalize(mean, std));
    }

    /** The IEBN paper's evaluation pipeline: normalize only. */
    public static TransformPipeline paperEval(double[] mean, double[] std) {
        return of(Transforms.normalize(mean, std));
    }

    /**
     * The notebook's training pipeline: resize 130, random-resized-crop 128, flip 0.5,
     * normalize with mean 0.5 and std 0.5 on every channel.
     */
    public static TransformPipeline notebookTrain() {
        return of(Transforms.resize(130), Transforms.randomResizedCrop(128),
                Transforms.horizontalFlip(0.5),
                Transforms.normalize(new double[] {0.5}, new double[] {0.5}));
    }

    /** The notebook's test pipeline: resize 128, normalize with mean 0.5 and std 0.5. */
    public static TransformPipeline notebookEval() {
        return of(Transforms.resize(128),
                Transforms.normalize(new double[] {0.5}, new double[] {0.5}));
    }

    public List<BatchTransform> steps() {
        return steps;
    }

    /** True when some step draws random numbers (an evaluation pipeline should not). */
    public boolean isRandom() {
        return steps.stream().anyMatch(BatchTransform::isRandom);
    }

    /**
     * The shape of the output images for input images of {@code input}.
     *
     * @throws DatasetException naming the step that cannot take its input
     */
    public ImageShape outputShape(ImageShape input) {
        ImageShape shape = input;
        for (BatchTransform step : steps) {
            shape = step.outputShape(shape);
        }
        return shape;
    }

    /**
     * Converts images {@code order[from .. from + count)} of {@code set} to floats and runs the
     * steps; the result is in {@code batch}.
     */
    public void apply(
            ImageSet set, int[] order, int from, int count, FloatBatch batch,
            SplittableRandom random) {
        ImageShape in = set.shape();
        int size = in.size();
        float[] data = batch.reset(count, in);
        byte[] pixels = set.pixelArray();
        for (int k = 0; k < count; k++) {
            int src = order[from + k] * size;
            int dst = k * size;
            for (int i = 0; i < size; i++) {
                data[dst + i] = TO_FLOAT[pixels[src + i] & 0xFF];
            }
        }
        for (BatchTransform step : steps) {
            step.apply(batch, random);
        }
    }

    @Override
    public String toString() {
        return steps.isEmpty()
                ? "toFloat"
                : "toFloat -> " + steps.stream().map(Object::toString).collect(Collectors.joining(" -> "));
    }
}

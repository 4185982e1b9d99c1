package org.normlab.data;

import java.util.Arrays;

/**
 * The batch transforms, with torchvision's semantics. They work on float images already scaled
 * to [0, 1] (the {@link TransformPipeline} does that first), so zero padding is black and
 * {@link #normalize} comes last, as in the usual torchvision pipelines. This class checks the
 * arguments; each transform is a class of its own in this package.
 */
public final class Transforms {

    private Transforms() {}

    /** Resizes every image to height x width, bilinear (align_corners=False, no antialias). */
    public static BatchTransform resize(int height, int width) {
        positive("resize", height, width);
        return new Resize(height, width, false);
    }

    /**
     * torchvision's {@code Resize(size)} with an int: the shorter side becomes {@code size}, the
     * longer one {@code int(size * long / short)}; a square image becomes size x size.
     */
    public static BatchTransform resize(int size) {
        positive("resize", size, size);
        return new Resize(size, size, true);
    }

    /**
     * torchvision's {@code RandomCrop(size, padding)}: pads every side with {@code padding} zeros,
     * then cuts a height x width window at a uniformly random position, per image.
     */
    public static BatchTransform randomCrop(int height, int width, int padding) {
        positive("randomCrop", height, width);
        return new RandomCrop(height, width, nonNegativePadding(padding));
    }

    /** {@link #randomCrop(int, int, int)} with the input's own size (CIFAR: 32, padding 4). */
    public static BatchTransform randomCrop(int padding) {
        return new RandomCrop(0, 0, nonNegativePadding(padding));
    }

    /** Mirrors each image left-right with probability p. */
    public static BatchTransform horizontalFlip(double p) {
        if (!(p >= 0 && p <= 1)) {
            throw new DatasetException("horizontalFlip: p must be in [0, 1], got " + p);
        }
        return new HorizontalFlip(p);
    }

    /** torchvision's {@code RandomResizedCrop(size)}: scale (0.08, 1), ratio (3/4, 4/3). */
    public static BatchTransform randomResizedCrop(int size) {
        return randomResizedCrop(size, size, 0.08, 1.0, 3.0 / 4.0, 4.0 / 3.0);
    }

    /**
     * torchvision's {@code RandomResizedCrop}: per image, up to 10 tries to draw an area fraction
     * uniformly from [scaleMin, scaleMax] and a log-uniform aspect ratio w/h from [ratioMin,
     * ratioMax] whose box fits; else a center crop of the whole image clipped to the ratio range.
     * The box is resized to height x width, bilinear.
     */
    public static BatchTransform randomResizedCrop(
            int height, int width, double scaleMin, double scaleMax, double ratioMin,
            double ratioMax) {
        positive("randomResizedCrop", height, width);
        if (!(scaleMin > 0 && scaleMin <= scaleMax && scaleMax <= 1)
                || !(ratioMin > 0 && ratioMin <= ratioMax)) {
            throw new DatasetException(
                    String.format(
                            "randomResizedCrop: need 0 < scaleMin <= scaleMax <= 1 and 0 < ratioMin "
                                    + "<= ratioMax, got scale (%s, %s), ratio (%s, %s)",
                            scaleMin, scaleMax, ratioMin, ratioMax));
        }
        return new RandomResizedCrop(height, width, scaleMin, scaleMax, ratioMin, ratioMax);
    }

    /**
     * {@code (x - mean[c]) / std[c]} per channel; one value applies to every channel.
     */
    public static BatchTransform normalize(double[] mean, double[] std) {
        if (mean.length == 0 || mean.length != std.length) {
            throw new DatasetException(
                    "normalize: mean and std need the same, non-zero number of values, got "
                            + mean.length + " and " + std.length);
        }
        for (double s : std) {
            if (!(s > 0)) {
                throw new DatasetException("normalize: every std must be > 0, got " + Arrays.toString(std));
            }
        }
        return new Normalize(mean.clone(), std.clone());
    }

    private static int nonNegativePadding(int padding) {
        if (padding < 0) {
            throw new DatasetException("randomCrop: padding must be >= 0, got " + padding);
        }
        return padding;
    }

    private static void positive(String what, int height, int width) {
        if (height < 1 || width < 1) {
            throw new DatasetException(
                    String.format("%s: the size must be >= 1, got %dx%d", what, height, width));
        }
    }
}

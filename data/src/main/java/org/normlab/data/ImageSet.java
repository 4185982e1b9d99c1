package org.normlab.data;

import java.util.Arrays;
import java.util.List;

/**
 * Images held in memory: uint8 pixels in NCHW order, an int label per image, and optionally the
 * index of the component each image came from (for mixed datasets, so accuracy can be reported
 * per component). Immutable: every operation returns a new set.
 *
 * <p>All pixels sit in one {@code byte[]}, so a set holds at most {@link Integer#MAX_VALUE}
 * values (CIFAR-10 at 32x32 holds 153.6 M); upscaling for a model happens per batch in the
 * {@link TransformPipeline}, not here.
 *
 * <p>This class is the value, its invariants and some thirty one-line accessors; the logic behind
 * them lives elsewhere: the components of a mix in {@link ImageComponents}, sampling in {@link
 * StratifiedSampling}, channel statistics in {@link ChannelStatistics}, channel and size changes
 * in {@link ImageOps}.
 */
public final class ImageSet {

    private final String name;
    private final ImageShape shape;
    private final byte[] pixels;
    private final int[] labels;
    private final int numClasses;
    private final List<String> classNames;
    /** Null for a plain set. */
    private final ImageComponents components;

    private ImageSet(
            String name, ImageShape shape, byte[] pixels, int[] labels, int numClasses,
            List<String> classNames, ImageComponents components) {
        this.name = name;
        this.shape = shape;
        this.pixels = pixels;
        this.labels = labels;
        this.numClasses = numClasses;
        this.classNames = classNames;
        this.components = components;
    }

    /**
     * A set of {@code labels.length} images. The arrays are taken over, not copied: the caller
     * must not change them afterwards.
     *
     * @throws DatasetException when the sizes disagree or a label is outside [0, numClasses)
     */
    public static ImageSet of(
            String name, ImageShape shape, byte[] pixels, int[] labels, int numClasses) {
        long expected = (long) labels.length * shape.size();
        if (pixels.length != expected) {
            throw new DatasetException(
                    String.format(
                            "%s: %d labels of %s images need %d pixel values, got %d",
                            name, labels.length, shape, expected, pixels.length));
        }
        if (numClasses < 1) {
            throw new DatasetException(name + ": the class count must be >= 1, got " + numClasses);
        }
        for (int i = 0; i < labels.length; i++) {
            checkIndex(name, "label", labels[i], i, numClasses);
        }
        return new ImageSet(name, shape, pixels, labels, numClasses, List.of(), null);
    }

    /** A label or component index of one image must lie in [0, bound). */
    static void checkIndex(String set, String what, int value, int image, int bound) {
        if (value < 0 || value >= bound) {
            throw new DatasetException(
                    String.format("%s: %s %d of image %d is outside [0, %d)", set, what, value, image, bound));
        }
    }

    /** This set with class names (one per class) for reports. */
    public ImageSet withClassNames(List<String> names) {
        if (names.size() != numClasses) {
            throw new DatasetException(
                    String.format(
                            "%s: %d class names given for %d classes",
                            name, names.size(), numClasses));
        }
        return new ImageSet(name, shape, pixels, labels, numClasses, List.copyOf(names), components);
    }

    /**
     * This set with a component index per image ({@code components[i]} indexes {@code names}).
     * The array is taken over, not copied.
     */
    public ImageSet withComponents(byte[] componentOfImage, List<String> names) {
        return new ImageSet(name, shape, pixels, labels, numClasses, classNames,
                ImageComponents.of(name, componentOfImage, names, labels.length));
    }

    /** This set under another name. */
    public ImageSet named(String newName) {
        return new ImageSet(newName, shape, pixels, labels, numClasses, classNames, components);
    }

    public String name() {
        return name;
    }

    public ImageShape shape() {
        return shape;
    }

    public int channels() {
        return shape.channels();
    }

    public int height() {
        return shape.height();
    }

    public int width() {
        return shape.width();
    }

    /** The number of images. */
    public int size() {
        return labels.length;
    }

    public int numClasses() {
        return numClasses;
    }

    /** One name per class, or an empty list when the source had none. */
    public List<String> classNames() {
        return classNames;
    }

    public int label(int index) {
        return labels[index];
    }

    /** A copy of all labels. */
    public int[] labels() {
        return labels.clone();
    }

    /** The component image {@code index} came from; 0 when the set has no components. */
    public int component(int index) {
        return components == null ? 0 : components.of(index);
    }

    /** The number of components: 1 for a plain set. */
    public int numComponents() {
        return components == null ? 1 : components.names().size();
    }

    /** One name per component; for a plain set, the set's own name. */
    public List<String> componentNames() {
        return components == null ? List.of(name) : components.names();
    }

    /** True when the images carry component indices (a mixed dataset). */
    public boolean hasComponents() {
        return components != null;
    }

    /** The value of one pixel, 0..255. */
    public int pixel(int index, int channel, int y, int x) {
        return pixels[index * shape.size() + (channel * shape.height() + y) * shape.width() + x]
                & 0xFF;
    }

    /** A copy of one image's pixels, CHW order. */
    public byte[] image(int index) {
        int n = shape.size();
        return Arrays.copyOfRange(pixels, index * n, index * n + n);
    }

    /** Images per class. */
    public int[] classCounts() {
        int[] counts = new int[numClasses];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    /** Images per component. */
    public int[] componentCounts() {
        return components == null ? new int[] {labels.length} : components.counts();
    }

    /** Mean of each channel over all pixels, in [0, 1] (for a {@link Transforms#normalize}). */
    public double[] channelMeans() {
        return ChannelStatistics.of(pixels, labels.length, shape).mean();
    }

    /** Population standard deviation of each channel over all pixels, in [0, 1] units. */
    public double[] channelStds() {
        return ChannelStatistics.of(pixels, labels.length, shape).std();
    }

    /**
     * The images at these indices, in this order (an index may repeat). Labels, class names and
     * components come along.
     */
    public ImageSet select(int[] indices) {
        int n = shape.size();
        byte[] px = new byte[Math.multiplyExact(indices.length, n)];
        int[] lb = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            int i = indices[k];
            if (i < 0 || i >= labels.length) {
                throw new DatasetException(
                        String.format(
                                "%s: index %d is outside [0, %d)", name, i, labels.length));
            }
            System.arraycopy(pixels, i * n, px, k * n, n);
            lb[k] = labels[i];
        }
        return new ImageSet(name, shape, px, lb, numClasses, classNames,
                components == null ? null : components.select(indices));
    }

    /**
     * A seeded random subset of {@code n} images, stratified by class: each class keeps its share
     * of the set (to within one image). The images keep their original order.
     */
    public ImageSet subset(int n, long seed) {
        return StratifiedSampling.subset(this, n, seed);
    }

    /**
     * Holds out a seeded, class-stratified validation set of {@code valSize} images; the rest is
     * the training set. Disjoint, and together they are this set.
     */
    public DataSplit split(int valSize, long seed) {
        return StratifiedSampling.split(this, valSize, seed);
    }

    /** A seeded order of all indices whose every prefix is class-stratified ({@link StratifiedSampling}). */
    int[] stratifiedOrder(long seed) {
        return StratifiedSampling.order(labels, numClasses, seed);
    }

    /** This set with {@code channels} channels (1 -> 3 replicates, 3 -> 1 by luminance). */
    public ImageSet toChannels(int channels) {
        return ImageOps.toChannels(this, channels);
    }

    /** This set resized to height x width, bilinear. */
    public ImageSet resize(int height, int width) {
        return ImageOps.resize(this, height, width);
    }

    /** This set with the channels and size a model asks for; unchanged when it already fits. */
    public ImageSet adaptTo(ImageShape target) {
        return toChannels(target.channels()).resize(target.height(), target.width());
    }

    /** The raw pixels, shared (not copied): for readers in this package only. */
    byte[] pixelArray() {
        return pixels;
    }

    int[] labelArray() {
        return labels;
    }

    /** The component of each image, shared; null for a plain set. */
    byte[] componentArray() {
        return components == null ? null : components.array();
    }

    /** A set with the same labels, classes and components but other pixels of another shape. */
    ImageSet withPixels(ImageShape newShape, byte[] newPixels) {
        if (newPixels.length != (long) labels.length * newShape.size()) {
            throw new IllegalArgumentException("pixel count does not match the new shape");
        }
        return new ImageSet(name, newShape, newPixels, labels, numClasses, classNames, components);
    }

    @Override
    public String toString() {
        return String.format(
                "%s: %d images %s, %d classes%s",
                name, size(), shape, numClasses,
                components == null ? "" : ", components " + components.names());
    }
}

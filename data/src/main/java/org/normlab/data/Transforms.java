package org.normlab.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The batch transforms, with torchvision's semantics. They work on float images already scaled
 * to [0, 1] (the {@link TransformPipeline} does that first), so zero padding is black and
 * {@link #normalize} comes last, as in the usual torchvision pipelines.
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
        if (padding < 0) {
            throw new DatasetException("randomCrop: padding must be >= 0, got " + padding);
        }
        return new RandomCrop(height, width, padding);
    }

    /** {@link #randomCrop(int, int, int)} with the input's own size (CIFAR: 32, padding 4). */
    public static BatchTransform randomCrop(int padding) {
        if (padding < 0) {
            throw new DatasetException("randomCrop: padding must be >= 0, got " + padding);
        }
        return new RandomCrop(0, 0, padding);
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

    private static void positive(String what, int height, int width) {
        if (height < 1 || width < 1) {
            throw new DatasetException(
                    String.format("%s: the size must be >= 1, got %dx%d", what, height, width));
        }
    }

    // ------------------------------------------------------------------------------------

    private record Resize(int height, int width, boolean shorterSide) implements BatchTransform {

        @Override
        public ImageShape outputShape(ImageShape in) {
            if (!shorterSide) {
                return new ImageShape(in.channels(), height, width);
            }
            int size = height;
            if (in.height() <= in.width()) {
                return new ImageShape(in.channels(), size, (int) ((long) size * in.width() / in.height()));
            }
            return new ImageShape(in.channels(), (int) ((long) size * in.height() / in.width()), size);
        }

        @Override
        public void apply(FloatBatch batch, SplittableRandom random) {
            ImageShape in = batch.shape();
            ImageShape out = outputShape(in);
            if (out.equals(in)) {
                return;
            }
            Bilinear rows = Bilinear.axis(0, in.height(), out.height());
            Bilinear cols = Bilinear.axis(0, in.width(), out.width());
            float[] src = batch.data();
            float[] dst = batch.target(out);
            int planes = batch.n() * in.channels();
            for (int p = 0; p < planes; p++) {
                Bilinear.plane(src, p * in.plane(), in.width(), rows, cols, dst, p * out.plane());
            }
            batch.commit(out);
        }

        @Override
        public boolean isRandom() {
            return false;
        }

        @Override
        public String toString() {
            return shorterSide ? "resize(" + height + ")" : "resize(" + height + "x" + width + ")";
        }
    }

    private record RandomCrop(int height, int width, int padding) implements BatchTransform {

        @Override
        public ImageShape outputShape(ImageShape in) {
            int h = height == 0 ? in.height() : height;
            int w = width == 0 ? in.width() : width;
            if (h > in.height() + 2 * padding || w > in.width() + 2 * padding) {
                throw new DatasetException(
                        String.format(
                                "randomCrop: a %dx%d window does not fit a %dx%d image padded by %d",
                                h, w, in.height(), in.width(), padding));
            }
            return new ImageShape(in.channels(), h, w);
        }

        @Override
        public void apply(FloatBatch batch, SplittableRandom random) {
            ImageShape in = batch.shape();
            ImageShape out = outputShape(in);
            float[] src = batch.data();
            float[] dst = batch.target(out);
            int h = out.height();
            int w = out.width();
            for (int n = 0; n < batch.n(); n++) {
                // top-left corner of the window in padded coordinates, as torch.randint(0, H+2p-h+1)
                int top = random.nextInt(in.height() + 2 * padding - h + 1) - padding;
                int left = random.nextInt(in.width() + 2 * padding - w + 1) - padding;
                int x0 = Math.max(0, -left);
                int x1 = Math.min(w, in.width() - left);
                for (int c = 0; c < in.channels(); c++) {
                    int srcPlane = (n * in.channels() + c) * in.plane();
                    int dstPlane = (n * in.channels() + c) * out.plane();
                    for (int y = 0; y < h; y++) {
                        int sy = y + top;
                        int d = dstPlane + y * w;
                        if (sy < 0 || sy >= in.height() || x1 <= x0) {
                            Arrays.fill(dst, d, d + w, 0f);
                            continue;
                        }
                        Arrays.fill(dst, d, d + x0, 0f);
                        System.arraycopy(src, srcPlane + sy * in.width() + left + x0, dst, d + x0, x1 - x0);
                        Arrays.fill(dst, d + x1, d + w, 0f);
                    }
                }
            }
            batch.commit(out);
        }

        @Override
        public boolean isRandom() {
            return true;
        }

        @Override
        public String toString() {
            return "randomCrop(" + (height == 0 ? "same" : height + "x" + width) + ", padding " + padding + ")";
        }
    }

    private record HorizontalFlip(double p) implements BatchTransform {

        @Override
        public ImageShape outputShape(ImageShape in) {
            return in;
        }

        @Override
        public void apply(FloatBatch batch, SplittableRandom random) {
            ImageShape s = batch.shape();
            float[] data = batch.data();
            int w = s.width();
            for (int n = 0; n < batch.n(); n++) {
                // One draw per image whatever p is, so the stream stays aligned.
                if (!(random.nextDouble() < p)) {
                    continue;
                }
                int rows = s.channels() * s.height();
                for (int r = 0; r < rows; r++) {
                    int a = (n * rows + r) * w;
                    int b = a + w - 1;
                    while (a < b) {
                        float t = data[a];
                        data[a++] = data[b];
                        data[b--] = t;
                    }
                }
            }
        }

        @Override
        public boolean isRandom() {
            return p > 0 && p < 1;
        }

        @Override
        public String toString() {
            return "horizontalFlip(" + p + ")";
        }
    }

    /** The crop box of a random-resized-crop: top, left, height, width. */
    record Box(int top, int left, int height, int width) {}

    static final class RandomResizedCrop implements BatchTransform {
        private final int height;
        private final int width;
        private final double scaleMin;
        private final double scaleMax;
        private final double logRatioMin;
        private final double logRatioMax;
        private final double ratioMin;
        private final double ratioMax;

        RandomResizedCrop(
                int height, int width, double scaleMin, double scaleMax, double ratioMin,
                double ratioMax) {
            this.height = height;
            this.width = width;
            this.scaleMin = scaleMin;
            this.scaleMax = scaleMax;
            this.ratioMin = ratioMin;
            this.ratioMax = ratioMax;
            this.logRatioMin = Math.log(ratioMin);
            this.logRatioMax = Math.log(ratioMax);
        }

        @Override
        public ImageShape outputShape(ImageShape in) {
            return new ImageShape(in.channels(), height, width);
        }

        /** torchvision's RandomResizedCrop.get_params. */
        Box box(int imageHeight, int imageWidth, SplittableRandom random) {
            double area = (double) imageHeight * imageWidth;
            for (int attempt = 0; attempt < 10; attempt++) {
                double target = area * uniform(random, scaleMin, scaleMax);
                double aspect = Math.exp(uniform(random, logRatioMin, logRatioMax));
                int w = (int) Math.rint(Math.sqrt(target * aspect));
                int h = (int) Math.rint(Math.sqrt(target / aspect));
                if (w > 0 && w <= imageWidth && h > 0 && h <= imageHeight) {
                    int top = random.nextInt(imageHeight - h + 1);
                    int left = random.nextInt(imageWidth - w + 1);
                    return new Box(top, left, h, w);
                }
            }
            double inRatio = (double) imageWidth / imageHeight;
            int w;
            int h;
            if (inRatio < ratioMin) {
                w = imageWidth;
                h = (int) Math.rint(w / ratioMin);
            } else if (inRatio > ratioMax) {
                h = imageHeight;
                w = (int) Math.rint(h * ratioMax);
            } else {
                w = imageWidth;
                h = imageHeight;
            }
            return new Box((imageHeight - h) / 2, (imageWidth - w) / 2, h, w);
        }

        private static double uniform(SplittableRandom random, double lo, double hi) {
            return lo == hi ? lo : lo + (hi - lo) * random.nextDouble();
        }

        @Override
        public void apply(FloatBatch batch, SplittableRandom random) {
            ImageShape in = batch.shape();
            ImageShape out = outputShape(in);
            float[] src = batch.data();
            float[] dst = batch.target(out);
            for (int n = 0; n < batch.n(); n++) {
                Box b = box(in.height(), in.width(), random);
                Bilinear rows = Bilinear.axis(b.top(), b.height(), out.height());
                Bilinear cols = Bilinear.axis(b.left(), b.width(), out.width());
                for (int c = 0; c < in.channels(); c++) {
                    int p = n * in.channels() + c;
                    Bilinear.plane(src, p * in.plane(), in.width(), rows, cols, dst, p * out.plane());
                }
            }
            batch.commit(out);
        }

        @Override
        public boolean isRandom() {
            return true;
        }

        @Override
        public String toString() {
            return String.format(
                    "randomResizedCrop(%dx%d, scale (%s, %s), ratio (%s, %s))",
                    height, width, scaleMin, scaleMax, ratioMin, ratioMax);
        }
    }

    private record Normalize(double[] mean, double[] std) implements BatchTransform {

        @Override
        public ImageShape outputShape(ImageShape in) {
            if (mean.length != 1 && mean.length != in.channels()) {
                throw new DatasetException(
                        String.format(
                                "normalize: %d mean/std values for %d-channel images; give one "
                                        + "value or one per channel",
                                mean.length, in.channels()));
            }
            return in;
        }

        @Override
        public void apply(FloatBatch batch, SplittableRandom random) {
            ImageShape s = batch.shape();
            float[] data = batch.data();
            int plane = s.plane();
            for (int n = 0; n < batch.n(); n++) {
                for (int c = 0; c < s.channels(); c++) {
                    float m = (float) mean[mean.length == 1 ? 0 : c];
                    float sd = (float) std[std.length == 1 ? 0 : c];
                    int from = (n * s.channels() + c) * plane;
                    for (int i = from, end = from + plane; i < end; i++) {
                        data[i] = (data[i] - m) / sd;
                    }
                }
            }
        }

        @Override
        public boolean isRandom() {
            return false;
        }

        @Override
        public String toString() {
            return "normalize(" + Arrays.toString(mean) + ", " + Arrays.toString(std) + ")";
        }
    }
}

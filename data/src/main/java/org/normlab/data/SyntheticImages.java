package org.normlab.data;

import java.util.SplittableRandom;

/**
 * A deterministic, learnable image dataset of any shape and class count, generated in memory
 * from a seed in well under a second for CIFAR-sized sets.
 *
 * <p>Each class has a prototype per channel: the sum of two plane waves with seeded integer
 * frequencies (0..3 cycles per image along each axis) and phases, scaled to [-1, 1]. An image of
 * class k is {@code 128 + amplitude * gain * prototype_k(y + dy, x + dx) + noise * z}, rounded
 * and clamped to 0..255, with a per-image gain in [0.75, 1.25], a per-image shift dx, dy in
 * [-2, 2] and z approximately standard normal per pixel. Labels cycle 0, 1, ..., C-1 so the
 * classes are balanced. Image i of the train (test) set depends only on (seed, split, i).
 */
public final class SyntheticImages {

    public static final String NAME = "synthetic";
    private static final int MAX_SHIFT = 2;

    private final ImageShape shape;
    private final int classes;
    private final int trainSize;
    private final int testSize;
    private final double amplitude;
    private final double noise;
    private final long seed;

    private SyntheticImages(Builder b) {
        this.shape = new ImageShape(b.channels, b.height, b.width);
        this.classes = b.classes;
        this.trainSize = b.trainSize;
        this.testSize = b.testSize;
        this.amplitude = b.amplitude;
        this.noise = b.noise;
        this.seed = b.seed;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Generates the train and test sets. */
    public DataSplit generate() {
        float[][] prototypes = prototypes();
        return new DataSplit(
                generate(NAME + "/train", 0, trainSize, prototypes),
                generate(NAME + "/test", 1, testSize, prototypes));
    }

    /**
     * One padded prototype per class, [class][channel * paddedPlane + y * paddedWidth + x], with
     * a margin of {@link #MAX_SHIFT} on every side for the per-image shift.
     */
    private float[][] prototypes() {
        int ph = shape.height() + 2 * MAX_SHIFT;
        int pw = shape.width() + 2 * MAX_SHIFT;
        float[][] result = new float[classes][shape.channels() * ph * pw];
        for (int k = 0; k < classes; k++) {
            SplittableRandom r = new SplittableRandom(Seeds.mix(seed, 0x5EED, k));
            for (int c = 0; c < shape.channels(); c++) {
                double[] fy = new double[2];
                double[] fx = new double[2];
                double[] phase = new double[2];
                for (int j = 0; j < 2; j++) {
                    do {
                        fy[j] = r.nextInt(4);
                        fx[j] = r.nextInt(4);
                    } while (fy[j] == 0 && fx[j] == 0);
                    phase[j] = r.nextDouble(2 * Math.PI);
                }
                float max = 1e-6f;
                int base = c * ph * pw;
                for (int y = 0; y < ph; y++) {
                    for (int x = 0; x < pw; x++) {
                        double v = 0;
                        for (int j = 0; j < 2; j++) {
                            v += Math.cos(2 * Math.PI * (fy[j] * (y - MAX_SHIFT) / shape.height()
                                    + fx[j] * (x - MAX_SHIFT) / shape.width()) + phase[j]);
                        }
                        result[k][base + y * pw + x] = (float) v;
                        max = Math.max(max, (float) Math.abs(v));
                    }
                }
                for (int i = base; i < base + ph * pw; i++) {
                    result[k][i] /= max;
                }
            }
        }
        return result;
    }

    private ImageSet generate(String name, int split, int size, float[][] prototypes) {
        int ph = shape.height() + 2 * MAX_SHIFT;
        int pw = shape.width() + 2 * MAX_SHIFT;
        int n = shape.size();
        byte[] pixels = new byte[Math.multiplyExact(size, n)];
        int[] labels = new int[size];
        float noiseScale = (float) (noise * Math.sqrt(3.0) / 65536.0);
        for (int i = 0; i < size; i++) {
            int k = i % classes;
            labels[i] = k;
            SplittableRandom r = new SplittableRandom(Seeds.mix(seed, split, i));
            float gain = (float) (amplitude * (0.75 + 0.5 * r.nextDouble()));
            int dy = r.nextInt(2 * MAX_SHIFT + 1);
            int dx = r.nextInt(2 * MAX_SHIFT + 1);
            float[] proto = prototypes[k];
            int out = i * n;
            for (int c = 0; c < shape.channels(); c++) {
                int base = c * ph * pw;
                for (int y = 0; y < shape.height(); y++) {
                    int row = base + (y + dy) * pw + dx;
                    for (int x = 0; x < shape.width(); x++) {
                        // Sum of four uniform 16-bit numbers: mean 2*65536, sd 65536/sqrt(3).
                        long bits = r.nextLong();
                        long sum = (bits & 0xFFFF) + ((bits >>> 16) & 0xFFFF)
                                + ((bits >>> 32) & 0xFFFF) + (bits >>> 48);
                        float z = (sum - 131070) * noiseScale;
                        pixels[out++] = ImageOps.toByte(128f + gain * proto[row + x] + z);
                    }
                }
            }
        }
        return ImageSet.of(name, shape, pixels, labels, classes);
    }

    /** Settings of a synthetic dataset; defaults: 3x32x32, 10 classes, 5000/1000 images. */
    public static final class Builder {
        private int channels = 3;
        private int height = 32;
        private int width = 32;
        private int classes = 10;
        private int trainSize = 5000;
        private int testSize = 1000;
        private double amplitude = 60;
        private double noise = 40;
        private long seed = 0;

        private Builder() {}

        public Builder shape(int channels, int height, int width) {
            this.channels = channels;
            this.height = height;
            this.width = width;
            return this;
        }

        public Builder classes(int classes) {
            this.classes = classes;
            return this;
        }

        public Builder trainSize(int trainSize) {
            this.trainSize = trainSize;
            return this;
        }

        public Builder testSize(int testSize) {
            this.testSize = testSize;
            return this;
        }

        /** Pattern strength in pixel levels (default 60): larger is easier. */
        public Builder amplitude(double amplitude) {
            this.amplitude = amplitude;
            return this;
        }

        /** Standard deviation of the per-pixel noise in pixel levels (default 40). */
        public Builder noise(double noise) {
            this.noise = noise;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public SyntheticImages build() {
            if (classes < 1 || trainSize < 0 || testSize < 0) {
                throw new DatasetException(
                        String.format(
                                "synthetic data needs classes >= 1 and sizes >= 0, got classes=%d "
                                        + "train=%d test=%d",
                                classes, trainSize, testSize));
            }
            if (amplitude < 0 || noise < 0 || Double.isNaN(amplitude) || Double.isNaN(noise)) {
                throw new DatasetException(
                        "synthetic amplitude and noise must be >= 0, got " + amplitude + " and "
                                + noise);
            }
            ImageShape s = new ImageShape(channels, height, width);
            long total = (long) Math.max(trainSize, testSize) * s.size();
            if (total > Integer.MAX_VALUE - 8) {
                throw new DatasetException(
                        "synthetic data of " + Math.max(trainSize, testSize) + " images of " + s
                                + " is too large to hold in one set");
            }
            return new SyntheticImages(this);
        }
    }
}

package org.normlab.data;

import java.util.SplittableRandom;

/** {@link Transforms#horizontalFlip}: mirrors each image left-right with probability p. */
record HorizontalFlip(double p) implements BatchTransform {

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

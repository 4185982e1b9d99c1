package org.normlab.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/** {@link Transforms#normalize}: {@code (x - mean[c]) / std[c]}, one value for every channel or one per channel. */
record Normalize(double[] mean, double[] std) implements BatchTransform {

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

package org.normlab.data;

import java.util.SplittableRandom;

/**
 * {@link Transforms#resize}: bilinear to height x width, or with {@code shorterSide} torchvision's
 * {@code Resize(int)}, where {@code height} is the size the shorter side becomes.
 */
record Resize(int height, int width, boolean shorterSide) implements BatchTransform {

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
        float[] dst = batch.target(out);
        for (int n = 0; n < batch.n(); n++) {
            Bilinear.image(batch.data(), in, n, rows, cols, dst, out);
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

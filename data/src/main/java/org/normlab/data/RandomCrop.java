package org.normlab.data;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * {@link Transforms#randomCrop}: zero padding, then a random window per image; a height of 0
 * means the input's own size.
 */
record RandomCrop(int height, int width, int padding) implements BatchTransform {

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

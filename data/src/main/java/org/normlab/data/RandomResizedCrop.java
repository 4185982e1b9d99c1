package org.normlab.data;

import java.util.SplittableRandom;

/** {@link Transforms#randomResizedCrop}: torchvision's RandomResizedCrop, a random box per image resized bilinear. */
final class RandomResizedCrop implements BatchTransform {

    /** The crop box: top, left, height, width. */
    record Box(int top, int left, int height, int width) {}

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
            Bilinear.image(src, in, n, rows, cols, dst, out);
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

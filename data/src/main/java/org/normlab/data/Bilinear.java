package org.normlab.data;

/**
 * Bilinear sampling along one axis with PyTorch's {@code align_corners=False} rule (as in
 * {@code F.interpolate(mode="bilinear")} and torchvision's tensor resize when upsampling): output
 * pixel o reads source coordinate {@code (o + 0.5) * in / out - 0.5}, clamped below at 0, between
 * source pixels {@code lo[o]} and {@code hi[o]} with weight {@code frac[o]} on {@code hi[o]}.
 * No anti-aliasing when shrinking.
 */
final class Bilinear {

    final int[] lo;
    final int[] hi;
    final float[] frac;

    private Bilinear(int[] lo, int[] hi, float[] frac) {
        this.lo = lo;
        this.hi = hi;
        this.frac = frac;
    }

    /** Samples the source window [start, start + length) onto {@code outSize} pixels. */
    static Bilinear axis(int start, int length, int outSize) {
        int[] lo = new int[outSize];
        int[] hi = new int[outSize];
        float[] frac = new float[outSize];
        float scale = (float) length / outSize;
        for (int o = 0; o < outSize; o++) {
            float src = Math.max(scale * (o + 0.5f) - 0.5f, 0f);
            int i0 = Math.min((int) src, length - 1);
            int i1 = i0 < length - 1 ? i0 + 1 : i0;
            lo[o] = start + i0;
            hi[o] = start + i1;
            frac[o] = src - i0;
        }
        return new Bilinear(lo, hi, frac);
    }

    /**
     * Resamples one plane: {@code src} holds a plane of width {@code srcWidth} at {@code srcOff};
     * the output plane of size rows.length x cols.length goes to {@code dst} at {@code dstOff}.
     */
    static void plane(
            float[] src, int srcOff, int srcWidth, Bilinear rows, Bilinear cols, float[] dst,
            int dstOff) {
        int outH = rows.lo.length;
        int outW = cols.lo.length;
        int[] c0 = cols.lo;
        int[] c1 = cols.hi;
        float[] cf = cols.frac;
        for (int y = 0; y < outH; y++) {
            int r0 = srcOff + rows.lo[y] * srcWidth;
            int r1 = srcOff + rows.hi[y] * srcWidth;
            float wy = rows.frac[y];
            float wy0 = 1f - wy;
            int d = dstOff + y * outW;
            for (int x = 0; x < outW; x++) {
                float wx = cf[x];
                float wx0 = 1f - wx;
                float top = wx0 * src[r0 + c0[x]] + wx * src[r0 + c1[x]];
                float bottom = wx0 * src[r1 + c0[x]] + wx * src[r1 + c1[x]];
                dst[d + x] = wy0 * top + wy * bottom;
            }
        }
    }

    /** Resamples every channel of image {@code n} of an NCHW batch of {@code in} images into one of {@code out}. */
    static void image(float[] src, ImageShape in, int n, Bilinear rows, Bilinear cols, float[] dst, ImageShape out) {
        for (int c = 0; c < in.channels(); c++) {
            int p = n * in.channels() + c;
            plane(src, p * in.plane(), in.width(), rows, cols, dst, p * out.plane());
        }
    }
}

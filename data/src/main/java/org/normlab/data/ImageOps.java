package org.normlab.data;

/**
 * Channel and size adaptation of whole uint8 image sets, for a model that wants another input
 * shape than the data has: grey to RGB by replication, RGB to grey by luminance, bilinear resize.
 */
final class ImageOps {

    /** ITU-R BT.601 luma weights, as torchvision's rgb_to_grayscale and PIL's convert("L"). */
    static final float LUMA_R = 0.299f;
    static final float LUMA_G = 0.587f;
    static final float LUMA_B = 0.114f;

    private ImageOps() {}

    static ImageSet toChannels(ImageSet set, int channels) {
        int from = set.channels();
        if (from == channels) {
            return set;
        }
        int plane = set.shape().plane();
        int n = set.size();
        byte[] src = set.pixelArray();
        ImageShape shape = new ImageShape(channels, set.height(), set.width());
        byte[] dst = new byte[Math.multiplyExact(n, shape.size())];
        if (from == 1 && channels == 3) {
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < 3; c++) {
                    System.arraycopy(src, i * plane, dst, (i * 3 + c) * plane, plane);
                }
            }
        } else if (from == 3 && channels == 1) {
            for (int i = 0; i < n; i++) {
                int r = i * 3 * plane;
                int d = i * plane;
                for (int p = 0; p < plane; p++) {
                    float y =
                            LUMA_R * (src[r + p] & 0xFF)
                                    + LUMA_G * (src[r + plane + p] & 0xFF)
                                    + LUMA_B * (src[r + 2 * plane + p] & 0xFF);
                    dst[d + p] = toByte(y);
                }
            }
        } else {
            throw new DatasetException(
                    String.format(
                            "%s: cannot turn %d channels into %d; allowed are 1 -> 3 "
                                    + "(replicate grey) and 3 -> 1 (luminance)",
                            set.name(), from, channels));
        }
        return set.withPixels(shape, dst);
    }

    static ImageSet resize(ImageSet set, int height, int width) {
        if (set.height() == height && set.width() == width) {
            return set;
        }
        ImageShape shape = new ImageShape(set.channels(), height, width);
        Bilinear rows = Bilinear.axis(0, set.height(), height);
        Bilinear cols = Bilinear.axis(0, set.width(), width);
        int inPlane = set.shape().plane();
        int outPlane = shape.plane();
        int planes = set.size() * set.channels();
        byte[] src = set.pixelArray();
        byte[] dst = new byte[Math.multiplyExact(planes, outPlane)];
        float[] in = new float[inPlane];
        float[] out = new float[outPlane];
        for (int p = 0; p < planes; p++) {
            for (int k = 0; k < inPlane; k++) {
                in[k] = src[p * inPlane + k] & 0xFF;
            }
            Bilinear.plane(in, 0, set.width(), rows, cols, out, 0);
            for (int k = 0; k < outPlane; k++) {
                dst[p * outPlane + k] = toByte(out[k]);
            }
        }
        return set.withPixels(shape, dst);
    }

    /** Applies a 256-entry lookup table to every pixel (intensity inversion, contrast...). */
    static ImageSet mapIntensity(ImageSet set, byte[] table) {
        byte[] src = set.pixelArray();
        byte[] dst = new byte[src.length];
        for (int i = 0; i < src.length; i++) {
            dst[i] = table[src[i] & 0xFF];
        }
        return set.withPixels(set.shape(), dst);
    }

    /** Rounds to the nearest integer and clamps to 0..255. */
    static byte toByte(float v) {
        int r = Math.round(v);
        return (byte) (r < 0 ? 0 : Math.min(r, 255));
    }
}

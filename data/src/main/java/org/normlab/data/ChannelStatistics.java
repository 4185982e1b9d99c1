package org.normlab.data;

/**
 * Mean and population standard deviation of each channel over all pixels of a set, in [0, 1]
 * units (for {@link Transforms#normalize}). Sums are exact integers, so the order of images does
 * not change them.
 */
record ChannelStatistics(double[] mean, double[] std) {

    static ChannelStatistics of(byte[] pixels, int images, ImageShape shape) {
        int c = shape.channels();
        int plane = shape.plane();
        long[] sum = new long[c];
        long[] sumSq = new long[c];
        for (int i = 0; i < images; i++) {
            int base = i * shape.size();
            for (int ch = 0; ch < c; ch++) {
                long s = 0;
                long q = 0;
                for (int p = base + ch * plane, end = p + plane; p < end; p++) {
                    int v = pixels[p] & 0xFF;
                    s += v;
                    q += v * v;
                }
                sum[ch] += s;
                sumSq[ch] += q;
            }
        }
        double count = (double) images * plane;
        double[] mean = new double[c];
        double[] std = new double[c];
        for (int ch = 0; ch < c; ch++) {
            double m = sum[ch] / count;
            mean[ch] = m / 255.0;
            std[ch] = Math.sqrt(Math.max(0, sumSq[ch] / count - m * m)) / 255.0;
        }
        return new ChannelStatistics(mean, std);
    }
}

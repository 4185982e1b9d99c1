package org.example.vgg;

import org.normlab.data.DataSplit;
import org.normlab.data.ImageSet;
import org.normlab.data.ImageShape;

/**
 * 1x8x8 images of two classes, horizontal (0) or vertical (1) stripes of period 2, phase varying
 * with the image: 64 for training, 32 for testing. Deterministic; no files.
 */
final class Stripes {

    static final int TRAIN = 64;
    static final int TEST = 32;

    private Stripes() {}

    static DataSplit split() {
        return new DataSplit(set("stripes-train", TRAIN, 0), set("stripes-test", TEST, 1));
    }

    private static ImageSet set(String name, int n, int phase) {
        byte[] pixels = new byte[n * 64];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 2;
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 8; x++) {
                    int along = labels[i] == 0 ? y : x;
                    pixels[i * 64 + y * 8 + x] = (byte) (((along + i / 2 + phase) % 2 == 0) ? 230 : 20);
                }
            }
        }
        return ImageSet.of(name, new ImageShape(1, 8, 8), pixels, labels, 2);
    }
}

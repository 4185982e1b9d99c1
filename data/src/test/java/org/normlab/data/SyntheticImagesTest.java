package org.normlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SyntheticImagesTest {

    @Test
    void sameSeedSameImagesOtherSeedOtherImages() {
        DataSplit a = SyntheticImages.builder().seed(5).trainSize(200).testSize(50).build().generate();
        DataSplit b = SyntheticImages.builder().seed(5).trainSize(200).testSize(50).build().generate();
        DataSplit c = SyntheticImages.builder().seed(6).trainSize(200).testSize(50).build().generate();
        assertArrayEquals(a.train().pixelArray(), b.train().pixelArray());
        assertArrayEquals(a.test().pixelArray(), b.test().pixelArray());
        assertFalse(java.util.Arrays.equals(a.train().pixelArray(), c.train().pixelArray()));
        // Train and test are different images.
        assertFalse(java.util.Arrays.equals(a.train().image(0), a.test().image(0)));
        // Image i depends only on (seed, split, i): a larger set starts with the same images.
        DataSplit more = SyntheticImages.builder().seed(5).trainSize(300).testSize(0).build().generate();
        assertArrayEquals(a.train().image(199), more.train().image(199));
    }

    @Test
    void anyShapeAndClassCount() {
        DataSplit s = SyntheticImages.builder().shape(2, 5, 7).classes(3).trainSize(13).testSize(4)
                .build().generate();
        assertEquals(new ImageShape(2, 5, 7), s.train().shape());
        assertEquals(3, s.train().numClasses());
        assertEquals(13, s.train().size());
        assertEquals(4, s.test().size());
        assertArrayEquals(new int[] {5, 4, 4}, s.train().classCounts());
        DatasetException e = assertThrows(DatasetException.class,
                () -> SyntheticImages.builder().classes(0).build());
        assertTrue(e.getMessage().contains("classes >= 1"), e.getMessage());
    }

    /** Mean image of each class, in double. */
    static double[][] classMeans(ImageSet set) {
        int n = set.shape().size();
        double[][] mean = new double[set.numClasses()][n];
        int[] counts = set.classCounts();
        for (int i = 0; i < set.size(); i++) {
            byte[] img = set.image(i);
            for (int p = 0; p < n; p++) {
                mean[set.label(i)][p] += (img[p] & 0xFF) / (double) counts[set.label(i)];
            }
        }
        return mean;
    }

    static double distance(double[] a, byte[] b) {
        double d = 0;
        for (int p = 0; p < a.length; p++) {
            double x = a[p] - (b[p] & 0xFF);
            d += x * x;
        }
        return d;
    }

    @Test
    void classesDifferAndAreLearnable() {
        DataSplit s = SyntheticImages.builder().seed(3).trainSize(2000).testSize(500).build().generate();
        double[][] means = classMeans(s.train());
        // Class means are far apart: RMS difference per pixel of at least 10 levels for every pair.
        for (int a = 0; a < 10; a++) {
            for (int b = a + 1; b < 10; b++) {
                double d = 0;
                for (int p = 0; p < means[a].length; p++) {
                    d += (means[a][p] - means[b][p]) * (means[a][p] - means[b][p]);
                }
                assertTrue(Math.sqrt(d / means[a].length) > 10, "classes " + a + " and " + b + " look alike");
            }
        }
        // A nearest-class-mean classifier fitted on train generalizes to test far above chance.
        int correct = 0;
        for (int i = 0; i < s.test().size(); i++) {
            byte[] img = s.test().image(i);
            int best = 0;
            for (int k = 1; k < 10; k++) {
                if (distance(means[k], img) < distance(means[best], img)) {
                    best = k;
                }
            }
            correct += best == s.test().label(i) ? 1 : 0;
        }
        double accuracy = correct / 500.0;
        assertTrue(accuracy > 0.9, "nearest-mean accuracy " + accuracy);
        // But not trivially: much more noise makes it harder.
        DataSplit noisy = SyntheticImages.builder().seed(3).noise(400).trainSize(2000).testSize(500)
                .build().generate();
        double[][] nm = classMeans(noisy.train());
        int ok = 0;
        for (int i = 0; i < 500; i++) {
            byte[] img = noisy.test().image(i);
            int best = 0;
            for (int k = 1; k < 10; k++) {
                if (distance(nm[k], img) < distance(nm[best], img)) {
                    best = k;
                }
            }
            ok += best == noisy.test().label(i) ? 1 : 0;
        }
        assertTrue(ok / 500.0 < accuracy, "noise 400 should be harder: " + ok / 500.0);
    }

    @Test
    void pixelsSpreadOverTheRange() {
        ImageSet set = SyntheticImages.builder().trainSize(100).testSize(0).build().generate().train();
        double mean = set.channelMeans()[0];
        double std = set.channelStds()[0];
        assertTrue(mean > 0.4 && mean < 0.6, "mean " + mean);
        assertTrue(std > 0.1 && std < 0.35, "std " + std);
    }
}

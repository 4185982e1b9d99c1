package org.normlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ImageSetTest {

    /** 180 one-pixel images of 3 classes with 30, 60 and 90 members; pixel = index % 256. */
    static ImageSet unbalanced() {
        int n = 180;
        byte[] px = new byte[n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            px[i] = (byte) i;
            labels[i] = i % 6 == 0 ? 0 : i % 6 <= 2 ? 1 : 2; // 1/6, 2/6, 3/6 of the images
        }
        return ImageSet.of("u", new ImageShape(1, 1, 1), px, labels, 3);
    }

    static ImageSet bytes(ImageShape shape, int... values) {
        byte[] px = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            px[i] = (byte) values[i];
        }
        return ImageSet.of("t", shape, px, new int[values.length / shape.size()], 1);
    }

    @Test
    void validatesItsParts() {
        DatasetException size = assertThrows(DatasetException.class,
                () -> ImageSet.of("s", new ImageShape(1, 2, 2), new byte[7], new int[2], 3));
        assertTrue(size.getMessage().contains("2 labels of 1x2x2 images need 8 pixel values, got 7"),
                size.getMessage());
        DatasetException label = assertThrows(DatasetException.class,
                () -> ImageSet.of("s", new ImageShape(1, 1, 1), new byte[2], new int[] {0, 3}, 3));
        assertTrue(label.getMessage().contains("label 3 of image 1 is outside [0, 3)"), label.getMessage());
        ImageSet ok = ImageSet.of("s", new ImageShape(1, 1, 1), new byte[2], new int[] {0, 1}, 2);
        DatasetException comp = assertThrows(DatasetException.class,
                () -> ok.withComponents(new byte[] {0, 2}, List.of("a", "b")));
        assertTrue(comp.getMessage().contains("component 2 of image 1 is outside [0, 2)"), comp.getMessage());
        assertThrows(DatasetException.class, () -> ok.withClassNames(List.of("one")));
    }

    @Test
    void subsetIsStratifiedSeededAndSorted() {
        ImageSet set = unbalanced();
        ImageSet sub = set.subset(60, 7);
        assertEquals(60, sub.size());
        int[] counts = sub.classCounts();
        // Proportional shares of 60 from 30/60/90 are 10/20/30; allow one either way.
        assertTrue(Math.abs(counts[0] - 10) <= 1 && Math.abs(counts[1] - 20) <= 1
                && Math.abs(counts[2] - 30) <= 1, Arrays.toString(counts));
        assertArrayEquals(sub.pixelArray(), set.subset(60, 7).pixelArray());
        assertFalse(Arrays.equals(sub.pixelArray(), set.subset(60, 8).pixelArray()));
        // Original order is kept, and labels follow their images.
        for (int i = 1; i < sub.size(); i++) {
            assertTrue((sub.pixelArray()[i] & 0xFF) > (sub.pixelArray()[i - 1] & 0xFF));
        }
        for (int i = 0; i < sub.size(); i++) {
            assertEquals(set.label(sub.pixelArray()[i] & 0xFF), sub.label(i));
        }
        ImageSet balanced = SyntheticImages.builder().shape(1, 2, 2).classes(10).trainSize(1000)
                .testSize(0).build().generate().train();
        int[] tenEach = new int[10];
        Arrays.fill(tenEach, 10);
        assertArrayEquals(tenEach, balanced.subset(100, 3).classCounts());
    }

    @Test
    void splitIsDisjointCompleteAndStratified() {
        ImageSet set = unbalanced();
        DataSplit split = set.split(36, 11);
        assertEquals(144, split.train().size());
        assertEquals(36, split.test().size());
        Set<Integer> seen = new HashSet<>();
        for (ImageSet part : List.of(split.train(), split.test())) {
            for (byte b : part.pixelArray()) {
                assertTrue(seen.add(b & 0xFF), "image " + (b & 0xFF) + " is in both parts");
            }
        }
        assertEquals(180, seen.size());
        int[] val = split.test().classCounts();
        assertTrue(Math.abs(val[0] - 6) <= 1 && Math.abs(val[1] - 12) <= 1 && Math.abs(val[2] - 18) <= 1,
                Arrays.toString(val));
        DatasetException e = assertThrows(DatasetException.class, () -> set.split(180, 1));
        assertTrue(e.getMessage().contains("between 1 and 179"), e.getMessage());
    }

    @Test
    void selectCarriesLabelsAndComponents() {
        ImageSet set = ImageSet.of("s", new ImageShape(1, 1, 2), new byte[] {1, 2, 3, 4, 5, 6},
                new int[] {0, 1, 2}, 3).withComponents(new byte[] {0, 1, 1}, List.of("a", "b"));
        ImageSet picked = set.select(new int[] {2, 0, 2});
        assertArrayEquals(new byte[] {5, 6, 1, 2, 5, 6}, picked.pixelArray());
        assertArrayEquals(new int[] {2, 0, 2}, picked.labels());
        assertEquals(1, picked.component(0));
        assertEquals(0, picked.component(1));
        assertArrayEquals(new int[] {1, 2}, picked.componentCounts());
        assertEquals(List.of("a", "b"), picked.componentNames());
    }

    @Test
    void greyToRgbReplicatesAndRgbToGreyUsesLuminance() {
        ImageSet grey = bytes(new ImageShape(1, 1, 2), 7, 250);
        ImageSet rgb = grey.toChannels(3);
        assertArrayEquals(new byte[] {7, (byte) 250, 7, (byte) 250, 7, (byte) 250}, rgb.pixelArray());
        // Pixels (R,G,B): (255,0,0) (0,255,0) (0,0,255) (10,20,30) (100,150,200); planes R, G, B.
        ImageSet colour = bytes(new ImageShape(3, 1, 5),
                255, 0, 0, 10, 100,
                0, 255, 0, 20, 150,
                0, 0, 255, 30, 200);
        // 0.299 R + 0.587 G + 0.114 B: 76.245, 149.685, 29.07, 18.15, 140.75, rounded.
        assertArrayEquals(new byte[] {76, (byte) 150, 29, 18, (byte) 141}, colour.toChannels(1).pixelArray());
        DatasetException e = assertThrows(DatasetException.class, () -> colour.toChannels(2));
        assertTrue(e.getMessage().contains("cannot turn 3 channels into 2"), e.getMessage());
    }

    @Test
    void resizeIsBilinearWithHalfPixelCentres() {
        // [[0, 100], [200, 40]] to 4x4: rows/cols sample source 0, 0.25, 0.75, 1 (clamped ends).
        ImageSet small = bytes(new ImageShape(1, 2, 2), 0, 100, 200, 40);
        ImageSet big = small.resize(4, 4);
        // (1,1): 0.75*(0.75*0 + 0.25*100) + 0.25*(0.75*200 + 0.25*40) = 58.75 -> 59
        assertEquals(59, big.pixel(0, 0, 1, 1));
        assertEquals(0, big.pixel(0, 0, 0, 0));
        assertEquals(25, big.pixel(0, 0, 0, 1));
        assertEquals(75, big.pixel(0, 0, 0, 2));
        assertEquals(40, big.pixel(0, 0, 3, 3));
        // (3,1): 0.75*200 + 0.25*40 = 160
        assertEquals(160, big.pixel(0, 0, 3, 1));
        // Halving samples at 0.5 and 2.5: the mean of each 2x2 block.
        ImageSet four = bytes(new ImageShape(1, 4, 4),
                0, 4, 8, 8,
                4, 8, 8, 8,
                100, 100, 0, 0,
                100, 104, 0, 4);
        assertArrayEquals(new byte[] {4, 8, 101, 1}, four.resize(2, 2).pixelArray());
        ImageSet c77 = ImageSet.of("c", new ImageShape(2, 3, 5), filledWith(30, 77), new int[1], 1).resize(7, 4);
        assertEquals(new ImageShape(2, 7, 4), c77.shape());
        for (byte b : c77.pixelArray()) {
            assertEquals(77, b & 0xFF);
        }
    }

    static byte[] filledWith(int n, int v) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) v);
        return b;
    }

    @Test
    void channelStatisticsAreInUnitRange() {
        ImageSet set = bytes(new ImageShape(2, 1, 2), 0, 255, 51, 51);
        assertEquals(0.5, set.channelMeans()[0], 1e-12);
        assertEquals(0.2, set.channelMeans()[1], 1e-12);
        assertEquals(0.5, set.channelStds()[0], 1e-12);
        assertEquals(0.0, set.channelStds()[1], 1e-12);
    }

    @Test
    void adaptToChangesChannelsAndSize() {
        ImageSet grey = SyntheticImages.builder().shape(1, 28, 28).trainSize(3).testSize(0).build()
                .generate().train();
        ImageSet adapted = grey.adaptTo(new ImageShape(3, 32, 32));
        assertEquals(new ImageShape(3, 32, 32), adapted.shape());
        assertArrayEquals(grey.labels(), adapted.labels());
        assertEquals(adapted.pixel(2, 0, 5, 9), adapted.pixel(2, 2, 5, 9));
        assertTrue(grey.adaptTo(grey.shape()) == grey);
    }
}

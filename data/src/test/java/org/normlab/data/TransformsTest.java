package org.normlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TransformsTest {

    /** n copies of one image. */
    static ImageSet copies(ImageShape shape, int n, int... pixels) {
        byte[] px = new byte[n * pixels.length];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < pixels.length; p++) {
                px[i * pixels.length + p] = (byte) pixels[p];
            }
        }
        return ImageSet.of("c", shape, px, new int[n], 1);
    }

    static float[] run(TransformPipeline pipeline, ImageSet set, long seed) {
        FloatBatch batch = new FloatBatch();
        int[] order = new int[set.size()];
        Arrays.setAll(order, i -> i);
        pipeline.apply(set, order, 0, set.size(), batch, new SplittableRandom(seed));
        int size = set.size() * pipeline.outputShape(set.shape()).size();
        assertEquals(pipeline.outputShape(set.shape()), batch.shape());
        return Arrays.copyOf(batch.data(), size);
    }

    static float[] image(float[] batch, int i, int size) {
        return Arrays.copyOfRange(batch, i * size, (i + 1) * size);
    }

    @Test
    void toFloatDividesBy255() {
        ImageSet set = copies(new ImageShape(1, 1, 4), 1, 0, 1, 128, 255);
        assertArrayEquals(new float[] {0f, 1f / 255f, 128f / 255f, 1f},
                run(TransformPipeline.identity(), set, 0));
    }

    @Test
    void normalizeSubtractsMeanAndDividesByStdPerChannel() {
        ImageSet set = copies(new ImageShape(2, 1, 2), 1, 51, 255, 0, 102);
        TransformPipeline p = TransformPipeline.of(
                Transforms.normalize(new double[] {0.5, 0.2}, new double[] {0.25, 0.4}));
        // channel 0: (0.2 - 0.5) / 0.25 = -1.2, (1 - 0.5) / 0.25 = 2; channel 1: (0 - .2)/.4, (.4 - .2)/.4
        assertArrayEquals(new float[] {-1.2f, 2f, -0.5f, 0.5f}, run(p, set, 0), 1e-6f);
        DatasetException e = assertThrows(DatasetException.class, () -> TransformPipeline.of(
                Transforms.normalize(new double[] {0.5, 0.5, 0.5}, new double[] {1, 1, 1}))
                .outputShape(new ImageShape(1, 28, 28)));
        assertTrue(e.getMessage().contains("3 mean/std values for 1-channel images"), e.getMessage());
    }

    /** The 3x3 image 1..9 shifted so that padded-window corner (top, left) is used; 0 outside. */
    static float[] shifted(int top, int left, int size, int padding) {
        float[] out = new float[size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int sy = y + top - padding;
                int sx = x + left - padding;
                out[y * size + x] = sy >= 0 && sy < 3 && sx >= 0 && sx < 3 ? (1 + sy * 3 + sx) / 255f : 0f;
            }
        }
        return out;
    }

    @Test
    void randomCropWithPaddingShiftsPixelsExactly() {
        ImageSet set = copies(new ImageShape(1, 3, 3), 300, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        float[] out = run(TransformPipeline.of(Transforms.randomCrop(1)), set, 42);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 300; i++) {
            float[] img = image(out, i, 9);
            String found = null;
            for (int top = 0; top <= 2; top++) {
                for (int left = 0; left <= 2; left++) {
                    if (Arrays.equals(img, shifted(top, left, 3, 1))) {
                        found = top + "," + left;
                    }
                }
            }
            assertTrue(found != null, "crop " + i + " is no shift of the padded image: " + Arrays.toString(img));
            seen.add(found);
        }
        assertEquals(9, seen.size(), "all 9 window positions should occur in 300 draws");

        // A 2x2 window of the unpadded 3x3 image: one of its 4 sub-squares.
        float[] small = run(TransformPipeline.of(Transforms.randomCrop(2, 2, 0)), set, 1);
        for (int i = 0; i < 300; i++) {
            float[] img = image(small, i, 4);
            float a = img[0] * 255f;
            assertTrue(Set.of(1f, 2f, 4f, 5f).contains(Math.round(a) * 1f), "corner " + a);
            assertArrayEquals(new float[] {a, a + 1, a + 3, a + 4}, new float[] {
                    img[0] * 255f, img[1] * 255f, img[2] * 255f, img[3] * 255f}, 1e-4f);
        }
        // No padding, same size: the identity.
        assertArrayEquals(run(TransformPipeline.identity(), set, 0),
                run(TransformPipeline.of(Transforms.randomCrop(0)), set, 5));
        DatasetException e = assertThrows(DatasetException.class,
                () -> Transforms.randomCrop(6, 6, 1).outputShape(new ImageShape(1, 3, 3)));
        assertTrue(e.getMessage().contains("a 6x6 window does not fit a 3x3 image padded by 1"), e.getMessage());
    }

    @Test
    void flipMirrorsEveryRowOfEveryChannel() {
        ImageSet set = copies(new ImageShape(2, 2, 3), 200,
                1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
        float[] mirrored = new float[] {3, 2, 1, 6, 5, 4, 9, 8, 7, 12, 11, 10};
        for (int i = 0; i < 12; i++) {
            mirrored[i] /= 255f;
        }
        float[] original = image(run(TransformPipeline.identity(), set, 0), 0, 12);
        float[] always = run(TransformPipeline.of(Transforms.horizontalFlip(1)), set, 3);
        float[] never = run(TransformPipeline.of(Transforms.horizontalFlip(0)), set, 3);
        float[] half = run(TransformPipeline.of(Transforms.horizontalFlip(0.5)), set, 3);
        int flipped = 0;
        for (int i = 0; i < 200; i++) {
            assertArrayEquals(mirrored, image(always, i, 12));
            assertArrayEquals(original, image(never, i, 12));
            float[] h = image(half, i, 12);
            assertTrue(Arrays.equals(h, original) || Arrays.equals(h, mirrored));
            flipped += Arrays.equals(h, mirrored) ? 1 : 0;
        }
        assertTrue(flipped > 70 && flipped < 130, flipped + " of 200 flipped at p = 0.5");
        // An odd width keeps its middle column.
        ImageSet odd = copies(new ImageShape(1, 1, 5), 1, 10, 20, 30, 40, 50);
        float[] f = run(TransformPipeline.of(Transforms.horizontalFlip(1)), odd, 0);
        assertArrayEquals(new float[] {50 / 255f, 40 / 255f, 30 / 255f, 20 / 255f, 10 / 255f}, f);
    }

    /** Bilinear resampling of a window of a plane, half-pixel centres, double: a reference. */
    static double[] reference(double[] plane, int width, int top, int left, int h, int w, int outH, int outW) {
        double[] out = new double[outH * outW];
        for (int y = 0; y < outH; y++) {
            double sy = Math.max((y + 0.5) * h / outH - 0.5, 0);
            int y0 = (int) Math.floor(sy);
            int y1 = Math.min(y0 + 1, h - 1);
            double fy = sy - y0;
            for (int x = 0; x < outW; x++) {
                double sx = Math.max((x + 0.5) * w / outW - 0.5, 0);
                int x0 = (int) Math.floor(sx);
                int x1 = Math.min(x0 + 1, w - 1);
                double fx = sx - x0;
                double a = plane[(top + y0) * width + left + x0];
                double b = plane[(top + y0) * width + left + x1];
                double c = plane[(top + y1) * width + left + x0];
                double d = plane[(top + y1) * width + left + x1];
                out[y * outW + x] = (1 - fy) * ((1 - fx) * a + fx * b) + fy * ((1 - fx) * c + fx * d);
            }
        }
        return out;
    }

    @Test
    void resizeKeepsConstantsAndMatchesBilinearReference() {
        int[] flat = new int[3 * 5 * 7];
        Arrays.fill(flat, 77);
        float[] constant = run(TransformPipeline.of(Transforms.resize(11, 13)),
                copies(new ImageShape(3, 5, 7), 2, flat), 0);
        assertEquals(2 * 3 * 11 * 13, constant.length);
        for (float v : constant) {
            assertEquals(77 / 255f, v, 1e-6f);
        }
        // Hand value: [[0, 100], [200, 40]] to 4x4, pixel (1,1) = 58.75 (see ImageSetTest).
        float[] up = run(TransformPipeline.of(Transforms.resize(4)), copies(new ImageShape(1, 2, 2), 1, 0, 100, 200, 40), 0);
        assertEquals(58.75f / 255f, up[5], 1e-6f);
        // Against the reference on a random 6x9 plane, up and down.
        SplittableRandom r = new SplittableRandom(3);
        int[] px = r.ints(54, 0, 256).toArray();
        double[] plane = Arrays.stream(px).mapToDouble(v -> v / 255.0).toArray();
        for (int[] size : new int[][] {{13, 20}, {4, 5}, {6, 9}, {1, 1}}) {
            float[] got = run(TransformPipeline.of(Transforms.resize(size[0], size[1])),
                    copies(new ImageShape(1, 6, 9), 1, px), 0);
            double[] want = reference(plane, 9, 0, 0, 6, 9, size[0], size[1]);
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i], got[i], 1e-6, "resize to " + Arrays.toString(size) + " at " + i);
            }
        }
        // An int size resizes the shorter side, torchvision style: 6x9 -> 10x15.
        assertEquals(new ImageShape(1, 10, 15), Transforms.resize(10).outputShape(new ImageShape(1, 6, 9)));
        assertEquals(new ImageShape(3, 130, 130), Transforms.resize(130).outputShape(new ImageShape(3, 32, 32)));
    }

    @Test
    void randomResizedCropBoxesFollowTorchvision() {
        RandomResizedCrop rrc =
                (RandomResizedCrop) Transforms.randomResizedCrop(8);
        SplittableRandom r = new SplittableRandom(9);
        for (int i = 0; i < 2000; i++) {
            RandomResizedCrop.Box b = rrc.box(40, 60, r);
            assertTrue(b.top() >= 0 && b.left() >= 0 && b.top() + b.height() <= 40
                    && b.left() + b.width() <= 60, b.toString());
            double area = (double) b.height() * b.width() / (40 * 60);
            double ratio = (double) b.width() / b.height();
            // Rounding of w and h to integers moves area and ratio a little past the bounds.
            assertTrue(area > 0.08 * 0.8 && area <= 1.0, "area " + area);
            assertTrue(ratio > 0.75 * 0.8 && ratio < 4.0 / 3.0 * 1.25, "ratio " + ratio);
        }
        // No try can fit (full area at aspect 2..3 on a square): centre crop clipped to ratio 2.
        RandomResizedCrop wide = (RandomResizedCrop)
                Transforms.randomResizedCrop(4, 4, 1.0, 1.0, 2.0, 3.0);
        assertEquals(new RandomResizedCrop.Box(2, 0, 5, 10), wide.box(10, 10, new SplittableRandom(1)));
        // Aspect 1/4..1/2 on a square: full height, width rint(10 * 0.5) = 5, centred.
        RandomResizedCrop tall = (RandomResizedCrop)
                Transforms.randomResizedCrop(4, 4, 1.0, 1.0, 0.25, 0.5);
        assertEquals(new RandomResizedCrop.Box(0, 2, 10, 5), tall.box(10, 10, new SplittableRandom(1)));
        // Full area at ratio 1 fits at once: the whole image.
        RandomResizedCrop whole = (RandomResizedCrop)
                Transforms.randomResizedCrop(4, 4, 1.0, 1.0, 1.0, 1.0);
        assertEquals(new RandomResizedCrop.Box(0, 0, 10, 10), whole.box(10, 10, new SplittableRandom(1)));
    }

    @Test
    void randomResizedCropResamplesItsBoxAndIsSeeded() {
        SplittableRandom data = new SplittableRandom(4);
        int[] px = data.ints(2 * 12 * 16, 0, 256).toArray();
        ImageSet set = copies(new ImageShape(2, 12, 16), 1, px);
        TransformPipeline p = TransformPipeline.of(Transforms.randomResizedCrop(7));
        float[] out = run(p, set, 77);
        assertEquals(2 * 7 * 7, out.length);
        // The box the transform drew is the first draw of the same seeded generator.
        RandomResizedCrop.Box b = ((RandomResizedCrop) p.steps().get(0)).box(12, 16, new SplittableRandom(77));
        for (int c = 0; c < 2; c++) {
            double[] plane = new double[12 * 16];
            for (int i = 0; i < plane.length; i++) {
                plane[i] = px[c * 192 + i] / 255.0;
            }
            double[] want = reference(plane, 16, b.top(), b.left(), b.height(), b.width(), 7, 7);
            for (int i = 0; i < 49; i++) {
                assertEquals(want[i], out[c * 49 + i], 1e-6, "channel " + c + " pixel " + i + " box " + b);
            }
        }
        ImageSet many = copies(new ImageShape(2, 12, 16), 20, px);
        assertArrayEquals(run(p, many, 5), run(p, many, 5));
        assertFalse(Arrays.equals(run(p, many, 5), run(p, many, 6)));
        // Whole-image box: the same as a plain resize.
        TransformPipeline whole = TransformPipeline.of(Transforms.randomResizedCrop(7, 7, 1, 1, 16.0 / 12, 16.0 / 12));
        assertArrayEquals(run(TransformPipeline.of(Transforms.resize(7, 7)), set, 0), run(whole, set, 1), 1e-6f);
    }

    @Test
    void notebookAndPaperPipelines() {
        ImageShape cifar = new ImageShape(3, 32, 32);
        assertEquals(new ImageShape(3, 128, 128), TransformPipeline.notebookTrain().outputShape(cifar));
        assertEquals(new ImageShape(3, 128, 128), TransformPipeline.notebookEval().outputShape(cifar));
        assertTrue(TransformPipeline.notebookTrain().isRandom());
        assertFalse(TransformPipeline.notebookEval().isRandom());
        TransformPipeline train = TransformPipeline.paperTrain(TransformPipeline.CIFAR10_MEAN, TransformPipeline.CIFAR10_STD);
        assertEquals(cifar, train.outputShape(cifar));
        assertTrue(train.isRandom());
        assertFalse(TransformPipeline.paperEval(TransformPipeline.CIFAR10_MEAN, TransformPipeline.CIFAR10_STD).isRandom());
        // Eval pipelines give the same output whatever the seed.
        ImageSet set = SyntheticImages.builder().trainSize(4).testSize(0).build().generate().train();
        assertArrayEquals(run(TransformPipeline.notebookEval(), set, 1), run(TransformPipeline.notebookEval(), set, 2));
        // The notebook's normalize maps [0, 1] onto [-1, 1].
        float[] out = run(TransformPipeline.notebookEval(), set, 1);
        for (float v : out) {
            assertTrue(v >= -1f && v <= 1f);
        }
    }
}

package org.normlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.normlab.data.MixDataset.LabelMode;
import org.normlab.data.MixDataset.Partner;
import org.normlab.data.MixDataset.Spec;

class MixDatasetTest {

    /** A Fashion-MNIST stand-in: 1x28x28, 10 classes, noisy so every image is distinct. */
    static DataSplit fashionLike() {
        DataSplit s = SyntheticImages.builder().shape(1, 28, 28).trainSize(200).testSize(60).seed(1)
                .build().generate();
        return new DataSplit(s.train().named("fashion-mnist/train").withClassNames(FashionMnist.CLASS_NAMES),
                s.test().named("fashion-mnist/test").withClassNames(FashionMnist.CLASS_NAMES));
    }

    static DataSplit cifarLike() {
        DataSplit s = SyntheticImages.builder().shape(3, 32, 32).trainSize(150).testSize(50).seed(2)
                .build().generate();
        return new DataSplit(s.train().withClassNames(Cifar.CIFAR10_CLASS_NAMES),
                s.test().withClassNames(Cifar.CIFAR10_CLASS_NAMES));
    }

    /** Index of each image of a set by its content. */
    static Map<ByteBuffer, Integer> byContent(ImageSet set) {
        Map<ByteBuffer, Integer> m = new HashMap<>();
        for (int i = 0; i < set.size(); i++) {
            assertTrue(m.put(ByteBuffer.wrap(set.image(i)), i) == null, "duplicate image in source");
        }
        return m;
    }

    static byte[] map(byte[] img, java.util.function.IntUnaryOperator f) {
        byte[] out = new byte[img.length];
        for (int i = 0; i < img.length; i++) {
            out[i] = (byte) f.applyAsInt(img[i] & 0xFF);
        }
        return out;
    }

    /**
     * Checks a derived mix: component 0 images are source images unchanged, component 1 images
     * are source images through {@code undo}'s inverse, labels follow, no source image twice.
     */
    static void checkDerived(ImageSet source, ImageSet mixed, int n2, int labelOffset,
                             java.util.function.Function<byte[], byte[]> partnerOf) {
        Map<ByteBuffer, Integer> plain = byContent(source);
        Map<ByteBuffer, Integer> altered = new HashMap<>();
        for (int i = 0; i < source.size(); i++) {
            altered.put(ByteBuffer.wrap(partnerOf.apply(source.image(i))), i);
        }
        Set<Integer> used = new HashSet<>();
        int[] counts = mixed.componentCounts();
        assertEquals(mixed.size() - n2, counts[0]);
        assertEquals(n2, counts[1]);
        for (int i = 0; i < mixed.size(); i++) {
            ByteBuffer img = ByteBuffer.wrap(mixed.image(i));
            Integer src = mixed.component(i) == 0 ? plain.get(img) : altered.get(img);
            assertNotNull(src, "image " + i + " of component " + mixed.component(i) + " has no source");
            assertTrue(used.add(src), "source image " + src + " used twice");
            int expected = source.label(src) + (mixed.component(i) == 1 ? labelOffset : 0);
            assertEquals(expected, mixed.label(i), "label of image " + i);
        }
    }

    @Test
    void invertedSharedLabels() {
        DataSplit fashion = fashionLike();
        DataSplit mix = MixDataset.build(fashion, null, Spec.of(Partner.INVERTED, 0.25, LabelMode.SHARED, 9));
        assertEquals(200, mix.train().size());
        assertEquals(60, mix.test().size());
        assertEquals(10, mix.train().numClasses());
        assertEquals(List.of("fashion-mnist", "fashion-mnist-inverted"), mix.train().componentNames());
        assertEquals(new ImageShape(1, 28, 28), mix.train().shape());
        checkDerived(fashion.train(), mix.train(), 50, 0, img -> map(img, v -> 255 - v));
        checkDerived(fashion.test(), mix.test(), 15, 0, img -> map(img, v -> 255 - v));
        // Both parts are class-stratified: 15 of each class in the plain part, 5 in the other.
        int[] plainCounts = new int[10];
        int[] invCounts = new int[10];
        for (int i = 0; i < 200; i++) {
            (mix.train().component(i) == 0 ? plainCounts : invCounts)[mix.train().label(i)]++;
        }
        for (int k = 0; k < 10; k++) {
            assertEquals(15, plainCounts[k], "plain class " + k);
            assertEquals(5, invCounts[k], "inverted class " + k);
        }
    }

    @Test
    void offsetLabelsGiveTwentyClasses() {
        DataSplit fashion = fashionLike();
        DataSplit mix = MixDataset.build(fashion, null, Spec.of(Partner.INVERTED, 0.5, LabelMode.OFFSET, 1));
        assertEquals(20, mix.train().numClasses());
        assertEquals("fashion-mnist-inverted:Ankle boot", mix.train().classNames().get(19));
        checkDerived(fashion.train(), mix.train(), 100, 10, img -> map(img, v -> 255 - v));
        for (int i = 0; i < mix.train().size(); i++) {
            assertEquals(mix.train().component(i) == 1, mix.train().label(i) >= 10);
        }
    }

    @Test
    void shiftedUsesContrastAndBrightness() {
        Spec spec = Spec.of(Partner.SHIFTED, 0.4, LabelMode.SHARED, 3);
        byte[] table = MixDataset.table(spec);
        // (v - 127.5) * 0.5 + 127.5 + 63.75, rounded half up: 0 -> 127.5 -> 128, 100 -> 177.5 -> 178
        assertEquals(128, table[0] & 0xFF);
        assertEquals(178, table[100] & 0xFF);
        assertEquals(255, table[255] & 0xFF);
        DataSplit fashion = fashionLike();
        DataSplit mix = MixDataset.build(fashion, null, spec);
        checkDerived(fashion.train(), mix.train(), 80, 0,
                img -> map(img, v -> (int) Math.floor((v - 127.5) * 0.5 + 127.5 + 63.75 + 0.5)));
        Spec stronger = new Spec(Partner.SHIFTED, 0.4, LabelMode.SHARED, 3, 2.0, -0.1, 0, 0);
        // (0 - 127.5) * 2 + 127.5 - 25.5 < 0 -> 0; (200 - 127.5) * 2 + 102 = 247
        assertEquals(0, MixDataset.table(stronger)[0] & 0xFF);
        assertEquals(247, MixDataset.table(stronger)[200] & 0xFF);
    }

    /** BT.601 grey, then 32 -> 28 bilinear (half-pixel centres), in double; a test reference. */
    static int[] greyResized(ImageSet cifar, int i) {
        double[] grey = new double[32 * 32];
        byte[] img = cifar.image(i);
        for (int p = 0; p < 1024; p++) {
            grey[p] = Math.round(0.299 * (img[p] & 0xFF) + 0.587 * (img[1024 + p] & 0xFF)
                    + 0.114 * (img[2048 + p] & 0xFF));
        }
        int[] out = new int[28 * 28];
        for (int y = 0; y < 28; y++) {
            double sy = Math.max((y + 0.5) * 32 / 28 - 0.5, 0);
            int y0 = (int) sy;
            int y1 = Math.min(y0 + 1, 31);
            double fy = sy - y0;
            for (int x = 0; x < 28; x++) {
                double sx = Math.max((x + 0.5) * 32 / 28 - 0.5, 0);
                int x0 = (int) sx;
                int x1 = Math.min(x0 + 1, 31);
                double fx = sx - x0;
                double v = (1 - fy) * ((1 - fx) * grey[y0 * 32 + x0] + fx * grey[y0 * 32 + x1])
                        + fy * ((1 - fx) * grey[y1 * 32 + x0] + fx * grey[y1 * 32 + x1]);
                out[y * 28 + x] = (int) Math.round(v);
            }
        }
        return out;
    }

    @Test
    void cifarPartnerIsGreyResizedAndDistinct() {
        DataSplit fashion = fashionLike();
        DataSplit cifar = cifarLike();
        DataSplit mix = MixDataset.build(fashion, cifar, Spec.of(Partner.CIFAR10, 0.4, LabelMode.OFFSET, 4));
        ImageSet train = mix.train();
        assertEquals(200, train.size());
        assertArrayEquals(new int[] {120, 80}, train.componentCounts());
        assertEquals(new ImageShape(1, 28, 28), train.shape());
        assertEquals(List.of("fashion-mnist", "cifar10-grey"), train.componentNames());
        assertEquals(20, train.numClasses());
        assertEquals("cifar10-grey:truck", train.classNames().get(19));
        Map<ByteBuffer, Integer> plain = byContent(fashion.train());
        Set<Integer> usedFashion = new HashSet<>();
        Set<Integer> usedCifar = new HashSet<>();
        int[][] references = new int[cifar.train().size()][];
        for (int j = 0; j < references.length; j++) {
            references[j] = greyResized(cifar.train(), j);
        }
        for (int i = 0; i < train.size(); i++) {
            if (train.component(i) == 0) {
                Integer src = plain.get(ByteBuffer.wrap(train.image(i)));
                assertNotNull(src);
                assertTrue(usedFashion.add(src));
                assertEquals(fashion.train().label(src), train.label(i));
                continue;
            }
            byte[] img = train.image(i);
            int match = -1;
            for (int j = 0; j < references.length && match < 0; j++) {
                boolean close = true;
                for (int p = 0; p < img.length && close; p++) {
                    close = Math.abs((img[p] & 0xFF) - references[j][p]) <= 1;
                }
                if (close) {
                    match = j;
                }
            }
            assertTrue(match >= 0, "mixed image " + i + " is no grey, resized CIFAR image");
            assertTrue(usedCifar.add(match), "CIFAR image " + match + " used twice");
            assertEquals(cifar.train().label(match) + 10, train.label(i));
        }
        assertEquals(80, usedCifar.size());
        assertArrayEquals(new int[] {36, 24}, mix.test().componentCounts());
    }

    @Test
    void badSettingsAreReported() {
        DatasetException zero = assertThrows(DatasetException.class,
                () -> Spec.of(Partner.INVERTED, 0.0, LabelMode.SHARED, 1));
        assertTrue(zero.getMessage().contains("strictly between 0 and 1, got 0.0"), zero.getMessage());
        assertThrows(DatasetException.class, () -> Spec.of(Partner.INVERTED, 1.0, LabelMode.SHARED, 1));
        DatasetException partner = assertThrows(DatasetException.class, () -> Partner.parse("mnist"));
        assertTrue(partner.getMessage().contains("allowed: inverted, shifted, cifar10"), partner.getMessage());
        assertEquals(Partner.SHIFTED, Partner.parse("shifted"));
        assertEquals(LabelMode.OFFSET, LabelMode.parse("offset"));
        DatasetException tooMany = assertThrows(DatasetException.class,
                () -> MixDataset.build(fashionLike(), cifarLike(), Spec.of(Partner.CIFAR10, 0.8, LabelMode.SHARED, 1)));
        assertTrue(tooMany.getMessage().contains("needs 40 first-component and 160 CIFAR-10 images, but there are 200 and 150"),
                tooMany.getMessage());
        DatasetException noCifar = assertThrows(DatasetException.class,
                () -> MixDataset.build(fashionLike(), null, Spec.of(Partner.CIFAR10, 0.5, LabelMode.SHARED, 1)));
        assertTrue(noCifar.getMessage().contains("needs CIFAR-10"), noCifar.getMessage());
        DatasetException big = assertThrows(DatasetException.class, () -> MixDataset.build(fashionLike(), null,
                new Spec(Partner.INVERTED, 0.5, LabelMode.SHARED, 1, 0.5, 0.25, 201, 0)));
        assertTrue(big.getMessage().contains("needs that many distinct images, but the first component has 200"),
                big.getMessage());
    }

    @Test
    void sameSeedSameMix() {
        Spec spec = Spec.of(Partner.INVERTED, 0.3, LabelMode.SHARED, 12);
        DataSplit a = MixDataset.build(fashionLike(), null, spec);
        DataSplit b = MixDataset.build(fashionLike(), null, spec);
        assertArrayEquals(a.train().pixelArray(), b.train().pixelArray());
        DataSplit c = MixDataset.build(fashionLike(), null, Spec.of(Partner.INVERTED, 0.3, LabelMode.SHARED, 13));
        assertTrue(!java.util.Arrays.equals(a.train().pixelArray(), c.train().pixelArray()));
    }
}

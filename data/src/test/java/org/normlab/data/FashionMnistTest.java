package org.normlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistTest {

    @TempDir Path tmp;

    static byte[] randomPixels(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** A Fashion-MNIST folder written by the test (image counts from the pixel arrays). */
    Path smallFolder(byte[] train, int[] trainLabels, byte[] test, int[] testLabels) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("fm"));
        Files.write(dir.resolve(FashionMnist.TRAIN_IMAGES),
                OfficialFormats.gzip(OfficialFormats.idxImages(train.length / 784, 28, 28, train)));
        Files.write(dir.resolve(FashionMnist.TRAIN_LABELS),
                OfficialFormats.gzip(OfficialFormats.idxLabels(trainLabels)));
        Files.write(dir.resolve(FashionMnist.TEST_IMAGES),
                OfficialFormats.gzip(OfficialFormats.idxImages(test.length / 784, 28, 28, test)));
        Files.write(dir.resolve(FashionMnist.TEST_LABELS),
                OfficialFormats.gzip(OfficialFormats.idxLabels(testLabels)));
        return dir;
    }

    @Test
    void readsIdxGzipWrittenByTheTest() throws IOException {
        byte[] px = randomPixels(5 * 4 * 3, 1);
        Path images = tmp.resolve("imgs-idx3-ubyte.gz");
        Files.write(images, OfficialFormats.gzip(OfficialFormats.idxImages(5, 4, 3, px)));
        IdxReader.IdxImages read = IdxReader.readImages(images);
        assertEquals(5, read.count());
        assertEquals(4, read.rows());
        assertEquals(3, read.cols());
        assertArrayEquals(px, read.pixels());

        Path labels = tmp.resolve("labels-idx1-ubyte.gz");
        Files.write(labels, OfficialFormats.gzip(OfficialFormats.idxLabels(new int[] {0, 9, 255, 3})));
        assertArrayEquals(new int[] {0, 9, 255, 3}, IdxReader.readLabels(labels));

        // Uncompressed files are read as they are.
        Path plain = tmp.resolve("imgs-idx3-ubyte");
        Files.write(plain, OfficialFormats.idxImages(5, 4, 3, px));
        assertArrayEquals(px, IdxReader.readImages(plain).pixels());
    }

    @Test
    void loadsAFolderAsFashionMnist() throws IOException {
        byte[] train = randomPixels(7 * 784, 2);
        byte[] test = randomPixels(3 * 784, 3);
        int[] trainLabels = {9, 0, 1, 2, 3, 4, 5};
        int[] testLabels = {6, 7, 8};
        DataSplit split = FashionMnist.load(smallFolder(train, trainLabels, test, testLabels));
        assertEquals(new ImageShape(1, 28, 28), split.train().shape());
        assertEquals(10, split.train().numClasses());
        assertEquals("Ankle boot", split.train().classNames().get(9));
        assertArrayEquals(train, split.train().pixelArray());
        assertArrayEquals(trainLabels, split.train().labels());
        assertArrayEquals(test, split.test().pixelArray());
        assertArrayEquals(testLabels, split.test().labels());
        // Row-major: pixel (y=2, x=5) of image 1 is byte 784 + 2*28 + 5.
        assertEquals(train[784 + 61] & 0xFF, split.train().pixel(1, 0, 2, 5));
    }

    @Test
    void wrongMagicIsReported() throws IOException {
        Path labelsAsImages = tmp.resolve("x-images.gz");
        Files.write(labelsAsImages, OfficialFormats.gzip(OfficialFormats.idxLabels(new int[] {1, 2})));
        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.readImages(labelsAsImages));
        assertTrue(e.getMessage().startsWith(labelsAsImages.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("wrong IDX magic number 0x00000801, expected 0x00000803"),
                e.getMessage());
    }

    @Test
    void truncatedDataIsReported() throws IOException {
        byte[] full = OfficialFormats.idxImages(5, 4, 3, randomPixels(60, 4));
        Path file = tmp.resolve("short.gz");
        Files.write(file, OfficialFormats.gzip(Arrays.copyOf(full, full.length - 10)));
        DatasetException e = assertThrows(DatasetException.class, () -> IdxReader.readImages(file));
        assertTrue(e.getMessage().contains(
                "truncated: the header announces 5 images of 4x3 pixels (60 bytes) but the data ends after 50 bytes"),
                e.getMessage());

        Path header = tmp.resolve("header.gz");
        Files.write(header, OfficialFormats.gzip(Arrays.copyOf(full, 10)));
        DatasetException h = assertThrows(DatasetException.class, () -> IdxReader.readImages(header));
        assertTrue(h.getMessage().contains("truncated IDX header, the row count is missing"), h.getMessage());

        Path longer = tmp.resolve("long.gz");
        byte[] extra = Arrays.copyOf(full, full.length + 1);
        Files.write(longer, OfficialFormats.gzip(extra));
        DatasetException l = assertThrows(DatasetException.class, () -> IdxReader.readImages(longer));
        assertTrue(l.getMessage().contains("longer than its header announces"), l.getMessage());
    }

    @Test
    void corruptGzipIsReported() throws IOException {
        byte[] gz = OfficialFormats.gzip(OfficialFormats.idxImages(50, 28, 28, randomPixels(50 * 784, 5)));
        Path cut = tmp.resolve("cut.gz");
        Files.write(cut, Arrays.copyOf(gz, gz.length / 2));
        DatasetException c = assertThrows(DatasetException.class, () -> IdxReader.readImages(cut));
        assertTrue(c.getMessage().startsWith(cut.toString()), c.getMessage());
        assertTrue(c.getMessage().contains("corrupt or truncated"), c.getMessage());

        byte[] bad = gz.clone();
        bad[bad.length - 6] ^= 0x01; // inside the CRC32 of the trailer
        Path crc = tmp.resolve("crc.gz");
        Files.write(crc, bad);
        DatasetException k = assertThrows(DatasetException.class, () -> IdxReader.readImages(crc));
        assertTrue(k.getMessage().contains("corrupt or truncated"), k.getMessage());

        Path notGz = tmp.resolve("plain.gz");
        Files.write(notGz, OfficialFormats.idxImages(1, 1, 1, new byte[1]));
        DatasetException n = assertThrows(DatasetException.class, () -> IdxReader.readImages(notGz));
        assertTrue(n.getMessage().contains("not a gzip file"), n.getMessage());
    }

    @Test
    void mismatchedCountsSizesAndLabelsAreReported() throws IOException {
        Path dir = smallFolder(randomPixels(7 * 784, 6), new int[] {1, 2, 3, 4, 5, 6, 7},
                randomPixels(3 * 784, 7), new int[] {1, 2});
        DatasetException e = assertThrows(DatasetException.class, () -> FashionMnist.load(dir));
        assertTrue(e.getMessage().contains("holds 3 images but"), e.getMessage());
        assertTrue(e.getMessage().contains("holds 2 labels"), e.getMessage());

        Files.write(dir.resolve(FashionMnist.TEST_LABELS),
                OfficialFormats.gzip(OfficialFormats.idxLabels(new int[] {1, 10, 2})));
        DatasetException l = assertThrows(DatasetException.class, () -> FashionMnist.load(dir));
        assertTrue(l.getMessage().contains("label 10 of item 1 is outside 0..9"), l.getMessage());

        Files.write(dir.resolve(FashionMnist.TEST_IMAGES),
                OfficialFormats.gzip(OfficialFormats.idxImages(3, 32, 32, new byte[3 * 1024])));
        DatasetException s = assertThrows(DatasetException.class, () -> FashionMnist.load(dir));
        assertTrue(s.getMessage().contains("images are 32x32, Fashion-MNIST images are 28x28"), s.getMessage());
    }

    @Test
    void missingFolderSaysWhereAndHow() {
        Path nowhere = tmp.resolve("nowhere");
        DatasetException e = assertThrows(DatasetException.class, () -> FashionMnist.load(nowhere));
        assertTrue(e.getMessage().contains("Fashion-MNIST not found"), e.getMessage());
        assertTrue(e.getMessage().contains(nowhere.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("apt-get install dataset-fashion-mnist"), e.getMessage());
        assertTrue(e.getMessage().contains("data.path"), e.getMessage());
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte.gz"), e.getMessage());
    }

    @Test
    void readsTheInstalledFashionMnist() {
        Assumptions.assumeTrue(
                Files.isRegularFile(FashionMnist.DEFAULT_FOLDER.resolve(FashionMnist.TRAIN_IMAGES)),
                "Fashion-MNIST is not installed in " + FashionMnist.DEFAULT_FOLDER
                        + " (apt-get install dataset-fashion-mnist): the real-data check did not run");
        DataSplit split = FashionMnist.load();
        assertEquals(60000, split.train().size());
        assertEquals(10000, split.test().size());
        assertEquals(new ImageShape(1, 28, 28), split.train().shape());
        // Reference values read from the same files with Python's gzip and struct modules.
        assertArrayEquals(new int[] {9, 0, 0, 3, 0, 2, 7, 2, 5, 5}, Arrays.copyOf(split.train().labels(), 10));
        assertArrayEquals(new int[] {9, 2, 1, 1, 6, 1, 4, 6, 5, 7}, Arrays.copyOf(split.test().labels(), 10));
        int[] perClass = new int[10];
        Arrays.fill(perClass, 6000);
        assertArrayEquals(perClass, split.train().classCounts());
        Arrays.fill(perClass, 1000);
        assertArrayEquals(perClass, split.test().classCounts());
        assertEquals(76247, sum(split.train().image(0)));
        assertEquals(16684, sum(split.train().image(59999)));
        assertEquals(33456, sum(split.test().image(0)));
        assertEquals(204, split.train().pixel(1, 0, 14, 14));
    }

    static int sum(byte[] b) {
        int s = 0;
        for (byte v : b) {
            s += v & 0xFF;
        }
        return s;
    }
}

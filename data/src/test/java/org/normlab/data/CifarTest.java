package org.normlab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.normlab.data.OfficialFormats.Dialect;
import org.normlab.data.OfficialFormats.UInt8Matrix;

class CifarTest {

    @TempDir Path tmp;

    /** Small CIFAR-like content: per batch, pixels and labels, all drawn from one seed. */
    record Content(List<byte[]> trainPixels, List<int[]> trainLabels, byte[] testPixels,
                   int[] testLabels, List<int[]> trainCoarse, int[] testCoarse) {

        byte[] allTrainPixels() {
            int n = trainPixels.stream().mapToInt(p -> p.length).sum();
            byte[] all = new byte[n];
            int at = 0;
            for (byte[] p : trainPixels) {
                System.arraycopy(p, 0, all, at, p.length);
                at += p.length;
            }
            return all;
        }

        int[] allTrainLabels() {
            return trainLabels.stream().flatMapToInt(Arrays::stream).toArray();
        }
    }

    static Content content(int batches, int perBatch, int testSize, int classes, long seed) {
        Random r = new Random(seed);
        List<byte[]> px = new ArrayList<>();
        List<int[]> lb = new ArrayList<>();
        List<int[]> coarse = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            byte[] p = new byte[perBatch * 3072];
            r.nextBytes(p);
            px.add(p);
            lb.add(r.ints(perBatch, 0, classes).toArray());
            coarse.add(Arrays.stream(lb.get(b)).map(l -> l % 20).toArray());
        }
        byte[] tp = new byte[testSize * 3072];
        r.nextBytes(tp);
        int[] tl = r.ints(testSize, 0, classes).toArray();
        // Make sure the extremes 0 and 255 and the top label occur.
        px.get(0)[0] = 0;
        px.get(0)[1] = (byte) 255;
        tl[0] = classes - 1;
        return new Content(px, lb, tp, tl, coarse, Arrays.stream(tl).map(l -> l % 20).toArray());
    }

    static Map<String, byte[]> cifar10Python(Content c, Dialect dialect) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("cifar-10-batches-py/batches.meta", OfficialFormats.pickleDict(OfficialFormats.dict(
                "num_cases_per_batch", "x", "label_names", Cifar.CIFAR10_CLASS_NAMES), dialect));
        for (int b = 0; b < c.trainPixels().size(); b++) {
            m.put("cifar-10-batches-py/data_batch_" + (b + 1), batchPickle(
                    "training batch " + (b + 1) + " of 5", c.trainPixels().get(b),
                    c.trainLabels().get(b), dialect));
        }
        m.put("cifar-10-batches-py/readme.html", "<html></html>".getBytes());
        m.put("cifar-10-batches-py/test_batch", batchPickle(
                "testing batch 1 of 1", c.testPixels(), c.testLabels(), dialect));
        return m;
    }

    static byte[] batchPickle(String label, byte[] pixels, int[] labels, Dialect dialect) {
        return OfficialFormats.pickleDict(OfficialFormats.dict(
                "batch_label", label,
                "labels", labels,
                "data", new UInt8Matrix(labels.length, 3072, pixels),
                "filenames", Arrays.stream(labels).mapToObj(l -> "img_" + l + ".png").toList()),
                dialect);
    }

    static Map<String, byte[]> cifar10Binary(Content c) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("cifar-10-batches-bin/batches.meta.txt", String.join("\n", Cifar.CIFAR10_CLASS_NAMES).getBytes());
        for (int b = 0; b < c.trainPixels().size(); b++) {
            m.put("cifar-10-batches-bin/data_batch_" + (b + 1) + ".bin",
                    OfficialFormats.cifarRecords(one(c.trainLabels().get(b)), c.trainPixels().get(b)));
        }
        m.put("cifar-10-batches-bin/test_batch.bin",
                OfficialFormats.cifarRecords(one(c.testLabels()), c.testPixels()));
        return m;
    }

    static int[][] one(int[] labels) {
        return Arrays.stream(labels).mapToObj(l -> new int[] {l}).toArray(int[][]::new);
    }

    static int[][] two(int[] coarse, int[] fine) {
        int[][] r = new int[fine.length][];
        for (int i = 0; i < fine.length; i++) {
            r[i] = new int[] {coarse[i], fine[i]};
        }
        return r;
    }

    static List<String> names(String prefix, int n) {
        List<String> l = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            l.add(prefix + i);
        }
        return l;
    }

    static Map<String, byte[]> cifar100Python(Content c, Dialect dialect) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("cifar-100-python/file.txt~", new byte[0]);
        m.put("cifar-100-python/train", OfficialFormats.pickleDict(OfficialFormats.dict(
                "filenames", names("f", c.trainLabels().get(0).length),
                "batch_label", "training batch 1 of 1",
                "fine_labels", c.trainLabels().get(0),
                "coarse_labels", c.trainCoarse().get(0),
                "data", new UInt8Matrix(c.trainLabels().get(0).length, 3072, c.trainPixels().get(0))),
                dialect));
        m.put("cifar-100-python/test", OfficialFormats.pickleDict(OfficialFormats.dict(
                "filenames", names("t", c.testLabels().length),
                "batch_label", "testing batch 1 of 1",
                "fine_labels", c.testLabels(),
                "coarse_labels", c.testCoarse(),
                "data", new UInt8Matrix(c.testLabels().length, 3072, c.testPixels())), dialect));
        m.put("cifar-100-python/meta", OfficialFormats.pickleDict(OfficialFormats.dict(
                "fine_label_names", names("fine", 100),
                "coarse_label_names", names("coarse", 20)), dialect));
        return m;
    }

    static Map<String, byte[]> cifar100Binary(Content c) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("cifar-100-binary/coarse_label_names.txt", String.join("\n", names("coarse", 20)).getBytes());
        m.put("cifar-100-binary/fine_label_names.txt", String.join("\n", names("fine", 100)).getBytes());
        m.put("cifar-100-binary/train.bin", OfficialFormats.cifarRecords(
                two(c.trainCoarse().get(0), c.trainLabels().get(0)), c.trainPixels().get(0)));
        m.put("cifar-100-binary/test.bin", OfficialFormats.cifarRecords(
                two(c.testCoarse(), c.testLabels()), c.testPixels()));
        return m;
    }

    static void assertCifar10(Content c, DataSplit split) {
        assertEquals(new ImageShape(3, 32, 32), split.train().shape());
        assertEquals(10, split.train().numClasses());
        assertEquals(Cifar.CIFAR10_CLASS_NAMES, split.train().classNames());
        assertArrayEquals(c.allTrainPixels(), split.train().pixelArray());
        assertArrayEquals(c.allTrainLabels(), split.train().labels());
        assertArrayEquals(c.testPixels(), split.test().pixelArray());
        assertArrayEquals(c.testLabels(), split.test().labels());
    }

    Path write(String name, Map<String, byte[]> members) throws IOException {
        Path archive = tmp.resolve(name);
        OfficialFormats.tarGz(archive, members);
        return archive;
    }

    // ------------------------------------------------------------------ reading

    @Test
    void readsCifar10PythonArchiveWrittenByPython2() throws IOException {
        Content c = content(5, 3, 4, 10, 1);
        Path archive = write("cifar-10-python.tar.gz", cifar10Python(c, Dialect.PYTHON2));
        DataSplit split = Cifar.load10(archive);
        assertCifar10(c, split);
        // Image 0 pixel (c=0, y=0, x=1) is byte 1 of the first row: 255 by construction.
        assertEquals(255, split.train().pixel(0, 0, 0, 1));
        // Image 4 (batch 2, second image), channel 2 (blue), y=3, x=5: byte 2048 + 3*32 + 5.
        assertEquals(c.trainPixels().get(1)[3072 + 2048 + 101] & 0xFF, split.train().pixel(4, 2, 3, 5));
    }

    @Test
    void readsCifar10PythonArchiveWithBytesKeysOfPython3() throws IOException {
        Content c = content(5, 2, 3, 10, 2);
        Path archive = write("cifar-10-python.tar.gz", cifar10Python(c, Dialect.PYTHON3));
        assertCifar10(c, Cifar.load10(archive));
    }

    @Test
    void readsABatchPickledByRealNumpy() throws IOException {
        // Written by Python 3.11 + numpy 2.4 (see src/test/resources/data/README.md).
        byte[] pickle;
        try (var in = CifarTest.class.getResourceAsStream("/data/numpy-protocol2-batch.pickle")) {
            pickle = in.readAllBytes();
        }
        Content c = content(5, 1, 1, 10, 14);
        Map<String, byte[]> m = cifar10Python(c, Dialect.PYTHON2);
        m.put("cifar-10-batches-py/data_batch_1", pickle);
        DataSplit split = Cifar.load10(write("cifar-10-python.tar.gz", m));
        assertEquals(6, split.train().size());
        assertArrayEquals(new int[] {3, 9}, Arrays.copyOf(split.train().labels(), 2));
        for (int i = 0; i < 2 * 3072; i++) {
            assertEquals((i * 7) & 0xFF, split.train().pixelArray()[i] & 0xFF, "pixel byte " + i);
        }
    }

    @Test
    void findsArchiveExtractedFolderOrItsParent() throws IOException {
        Content c = content(5, 2, 3, 10, 3);
        Path withArchive = Files.createDirectories(tmp.resolve("a"));
        OfficialFormats.tarGz(withArchive.resolve("cifar-10-python.tar.gz"), cifar10Python(c, Dialect.PYTHON2));
        assertCifar10(c, Cifar.load10(withArchive));

        Path extracted = Files.createDirectories(tmp.resolve("b"));
        OfficialFormats.extract(extracted, cifar10Python(c, Dialect.PYTHON2));
        assertCifar10(c, Cifar.load10(extracted));
        assertCifar10(c, Cifar.load10(extracted.resolve("cifar-10-batches-py")));

        Path binary = Files.createDirectories(tmp.resolve("c"));
        OfficialFormats.extract(binary, cifar10Binary(c));
        assertCifar10(c, Cifar.load10(binary));
        assertCifar10(c, Cifar.load10(binary.resolve("cifar-10-batches-bin")));
    }

    @Test
    void readsCifar10BinaryArchive() throws IOException {
        Content c = content(5, 3, 4, 10, 4);
        assertCifar10(c, Cifar.load10(write("cifar-10-binary.tar.gz", cifar10Binary(c))));
    }

    @Test
    void readsCifar100PythonFineAndCoarse() throws IOException {
        Content c = content(1, 7, 5, 100, 5);
        for (Dialect d : Dialect.values()) {
            Path archive = write("cifar-100-python-" + d + ".tar.gz", cifar100Python(c, d));
            DataSplit fine = Cifar.load100(archive);
            assertEquals(100, fine.train().numClasses());
            assertEquals("fine99", fine.train().classNames().get(99));
            assertArrayEquals(c.trainPixels().get(0), fine.train().pixelArray());
            assertArrayEquals(c.trainLabels().get(0), fine.train().labels());
            assertArrayEquals(c.testPixels(), fine.test().pixelArray());
            assertArrayEquals(c.testLabels(), fine.test().labels());
            assertEquals(99, fine.test().label(0));
            DataSplit coarse = Cifar.load100(archive, Cifar.Labels.COARSE);
            assertEquals(20, coarse.train().numClasses());
            assertEquals("coarse19", coarse.train().classNames().get(19));
            assertArrayEquals(c.trainCoarse().get(0), coarse.train().labels());
            assertArrayEquals(c.testCoarse(), coarse.test().labels());
        }
    }

    @Test
    void readsCifar100BinaryArchiveAndFolder() throws IOException {
        Content c = content(1, 6, 4, 100, 6);
        Path archive = write("cifar-100-binary.tar.gz", cifar100Binary(c));
        Path folder = Files.createDirectories(tmp.resolve("x"));
        OfficialFormats.extract(folder, cifar100Binary(c));
        for (Path p : List.of(archive, folder)) {
            DataSplit fine = Cifar.load100(p);
            assertArrayEquals(c.trainPixels().get(0), fine.train().pixelArray());
            assertArrayEquals(c.trainLabels().get(0), fine.train().labels());
            assertArrayEquals(c.testLabels(), fine.test().labels());
            assertEquals("fine3", fine.train().classNames().get(3));
            DataSplit coarse = Cifar.load100(p, Cifar.Labels.COARSE);
            assertArrayEquals(c.trainCoarse().get(0), coarse.train().labels());
            assertArrayEquals(c.testPixels(), coarse.test().pixelArray());
        }
    }

    // ------------------------------------------------------------------ errors

    @Test
    void missingDatasetSaysWhereItLookedAndHowToGetIt() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        DatasetException e = assertThrows(DatasetException.class, () -> Cifar.load10(empty));
        assertTrue(e.getMessage().contains(empty.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("cifar-10-python.tar.gz"), e.getMessage());
        assertTrue(e.getMessage().contains("https://www.cs.toronto.edu/~kriz/cifar.html"), e.getMessage());
        assertTrue(e.getMessage().contains("data.path"), e.getMessage());

        DatasetException none = assertThrows(DatasetException.class, () -> Cifar.load100(tmp.resolve("nope")));
        assertTrue(none.getMessage().contains("CIFAR-100 not found"), none.getMessage());
        assertTrue(none.getMessage().contains("does not exist"), none.getMessage());
        DatasetException noPath = assertThrows(DatasetException.class, () -> Cifar.load10(null));
        assertTrue(noPath.getMessage().contains("no data.path"), noPath.getMessage());
    }

    @Test
    void missingKeyNamesMemberAndKey() throws IOException {
        Content c = content(5, 2, 2, 10, 7);
        Map<String, byte[]> m = cifar10Python(c, Dialect.PYTHON2);
        m.put("cifar-10-batches-py/data_batch_3", OfficialFormats.pickleDict(OfficialFormats.dict(
                "batch_label", "x", "data", new UInt8Matrix(2, 3072, c.trainPixels().get(2))),
                Dialect.PYTHON2));
        Path archive = write("cifar-10-python.tar.gz", m);
        DatasetException e = assertThrows(DatasetException.class, () -> Cifar.load10(archive));
        assertTrue(e.getMessage().contains("cifar-10-batches-py/data_batch_3"), e.getMessage());
        assertTrue(e.getMessage().contains("no key b'labels'"), e.getMessage());
        assertTrue(e.getMessage().contains(archive.toString()), e.getMessage());
    }

    @Test
    void wrongArrayShapeAndLabelCountAreReported() throws IOException {
        Content c = content(5, 2, 2, 10, 8);
        Map<String, byte[]> m = cifar10Python(c, Dialect.PYTHON3);
        m.put("cifar-10-batches-py/test_batch", OfficialFormats.pickleDict(OfficialFormats.dict(
                "labels", new int[] {1, 2}, "data", new UInt8Matrix(3, 2048, new byte[3 * 2048])),
                Dialect.PYTHON3));
        DatasetException shape = assertThrows(DatasetException.class,
                () -> Cifar.load10(write("a.tar.gz", m)));
        assertTrue(shape.getMessage().contains("expected (N, 3072)"), shape.getMessage());
        assertTrue(shape.getMessage().contains("test_batch"), shape.getMessage());

        m.put("cifar-10-batches-py/test_batch", OfficialFormats.pickleDict(OfficialFormats.dict(
                "labels", new int[] {1, 2, 3}, "data", new UInt8Matrix(2, 3072, new byte[2 * 3072])),
                Dialect.PYTHON3));
        DatasetException count = assertThrows(DatasetException.class,
                () -> Cifar.load10(write("b.tar.gz", m)));
        assertTrue(count.getMessage().contains("holds 2 images but b'labels' holds 3 labels"),
                count.getMessage());

        m.put("cifar-10-batches-py/test_batch", OfficialFormats.pickleDict(OfficialFormats.dict(
                "labels", new int[] {1, 10}, "data", new UInt8Matrix(2, 3072, new byte[2 * 3072])),
                Dialect.PYTHON3));
        DatasetException label = assertThrows(DatasetException.class,
                () -> Cifar.load10(write("c.tar.gz", m)));
        assertTrue(label.getMessage().contains("label 10 of image 1 is outside 0..9"), label.getMessage());
    }

    @Test
    void notAPickleIsReported() throws IOException {
        Content c = content(5, 2, 2, 10, 9);
        Map<String, byte[]> m = cifar10Python(c, Dialect.PYTHON2);
        byte[] good = m.get("cifar-10-batches-py/data_batch_2");
        m.put("cifar-10-batches-py/data_batch_2", Arrays.copyOf(good, good.length / 2));
        Path archive = write("cifar-10-python.tar.gz", m);
        DatasetException e = assertThrows(DatasetException.class, () -> Cifar.load10(archive));
        assertTrue(e.getMessage().contains("member cifar-10-batches-py/data_batch_2"), e.getMessage());
        assertTrue(e.getMessage().contains("not a readable Python pickle"), e.getMessage());
    }

    @Test
    void missingMemberIsNamed() throws IOException {
        Content c = content(5, 2, 2, 10, 10);
        Map<String, byte[]> m = cifar10Python(c, Dialect.PYTHON2);
        m.remove("cifar-10-batches-py/data_batch_4");
        Path archive = write("cifar-10-python.tar.gz", m);
        DatasetException e = assertThrows(DatasetException.class, () -> Cifar.load10(archive));
        assertTrue(e.getMessage().contains("has no member cifar-10-batches-py/data_batch_4"), e.getMessage());

        Path folder = Files.createDirectories(tmp.resolve("f"));
        OfficialFormats.extract(folder, m);
        DatasetException f = assertThrows(DatasetException.class, () -> Cifar.load10(folder));
        assertTrue(f.getMessage().contains("data_batch_4: missing"), f.getMessage());

        Path unrelated = write("other.tar.gz", Map.of("something/else.txt", new byte[3]));
        DatasetException u = assertThrows(DatasetException.class, () -> Cifar.load10(unrelated));
        assertTrue(u.getMessage().contains("holds no CIFAR-10 data"), u.getMessage());
    }

    @Test
    void truncatedAndCorruptArchivesAreReported() throws IOException {
        Content c = content(5, 3, 3, 10, 11);
        Path good = write("cifar-10-python.tar.gz", cifar10Python(c, Dialect.PYTHON2));
        byte[] bytes = Files.readAllBytes(good);

        Path truncated = tmp.resolve("truncated.tar.gz");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length * 2 / 3));
        DatasetException t = assertThrows(DatasetException.class, () -> Cifar.load10(truncated));
        assertTrue(t.getMessage().startsWith(truncated.toString()), t.getMessage());
        assertTrue(t.getMessage().contains("corrupt or truncated"), t.getMessage());

        byte[] flipped = bytes.clone();
        for (int i = bytes.length / 2; i < bytes.length / 2 + 64; i++) {
            flipped[i] ^= (byte) 0x5A;
        }
        Path corrupt = tmp.resolve("corrupt.tar.gz");
        Files.write(corrupt, flipped);
        DatasetException k = assertThrows(DatasetException.class, () -> Cifar.load10(corrupt));
        assertTrue(k.getMessage().startsWith(corrupt.toString()), k.getMessage());
        assertTrue(k.getMessage().contains("corrupt or truncated"), k.getMessage());

        Path notGzip = tmp.resolve("plain.tar.gz");
        Files.write(notGzip, "just text, not gzip".getBytes());
        DatasetException n = assertThrows(DatasetException.class, () -> Cifar.load10(notGzip));
        assertTrue(n.getMessage().contains("not a readable .tar.gz archive"), n.getMessage());
    }

    @Test
    void wrongRecordSizeIsReported() throws IOException {
        Content c = content(5, 2, 2, 10, 12);
        Map<String, byte[]> m = cifar10Binary(c);
        byte[] b = m.get("cifar-10-batches-bin/data_batch_5.bin");
        m.put("cifar-10-batches-bin/data_batch_5.bin", Arrays.copyOf(b, b.length - 1));
        Path archive = write("cifar-10-binary.tar.gz", m);
        DatasetException e = assertThrows(DatasetException.class, () -> Cifar.load10(archive));
        assertTrue(e.getMessage().contains("cifar-10-batches-bin/data_batch_5.bin"), e.getMessage());
        assertTrue(e.getMessage().contains("6145 bytes is not a whole number of records of 3073 bytes"),
                e.getMessage());

        // CIFAR-100 records are 3074 bytes: CIFAR-10 records (3073) in its place are rejected.
        Map<String, byte[]> h = cifar100Binary(content(1, 3, 2, 100, 13));
        h.put("cifar-100-binary/test.bin", new byte[3073 * 2]);
        Path wrong = write("cifar-100-binary.tar.gz", h);
        DatasetException w = assertThrows(DatasetException.class, () -> Cifar.load100(wrong));
        assertTrue(w.getMessage().contains("records of 3074 bytes (2 label bytes (coarse, fine)"),
                w.getMessage());
    }
}

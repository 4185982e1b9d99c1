package org.normlab.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CIFAR-10 and CIFAR-100 (3x32x32, 50,000 training and 10,000 test images) from the official
 * archives of https://www.cs.toronto.edu/~kriz/cifar.html, never downloaded here: the "python
 * version" ({@code cifar-10-python.tar.gz}, {@code cifar-100-python.tar.gz}: pickled dicts) or
 * the "binary version" ({@code cifar-10-binary.tar.gz}, {@code cifar-100-binary.tar.gz}: fixed
 * size records), each as the archive or as its extracted folder.
 *
 * <p>The path given may be: an archive file; the extracted folder itself (holding data_batch_1
 * ... or train/test); or a folder holding the extracted folder or the archive under its
 * official name. Python version first when both are there.
 */
public final class Cifar {

    public static final String URL = "https://www.cs.toronto.edu/~kriz/cifar.html";
    static final int PIXELS = 3 * 32 * 32;
    static final ImageShape SHAPE = new ImageShape(3, 32, 32);

    public static final List<String> CIFAR10_CLASS_NAMES =
            List.of(
                    "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse",
                    "ship", "truck");

    /** Which labels a CIFAR-100 set carries. */
    public enum Labels {
        /** CIFAR-10's 10 classes. */
        CIFAR10(10),
        /** CIFAR-100's 100 fine classes. */
        FINE(100),
        /** CIFAR-100's 20 coarse superclasses. */
        COARSE(20);

        final int classes;

        Labels(int classes) {
            this.classes = classes;
        }
    }

    /** The official file layout of one of the two datasets. */
    private record Layout(
            String title,
            String pythonArchive,
            String pythonFolder,
            List<String> pythonTrain,
            String pythonTest,
            String binaryArchive,
            String binaryFolder,
            List<String> binaryTrain,
            String binaryTest) {}

    private static final Layout TEN =
            new Layout(
                    "CIFAR-10",
                    "cifar-10-python.tar.gz",
                    "cifar-10-batches-py",
                    List.of("data_batch_1", "data_batch_2", "data_batch_3", "data_batch_4",
                            "data_batch_5"),
                    "test_batch",
                    "cifar-10-binary.tar.gz",
                    "cifar-10-batches-bin",
                    List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin",
                            "data_batch_4.bin", "data_batch_5.bin"),
                    "test_batch.bin");

    private static final Layout HUNDRED =
            new Layout(
                    "CIFAR-100",
                    "cifar-100-python.tar.gz",
                    "cifar-100-python",
                    List.of("train"),
                    "test",
                    "cifar-100-binary.tar.gz",
                    "cifar-100-binary",
                    List.of("train.bin"),
                    "test.bin");

    private Cifar() {}

    /** CIFAR-10 from {@code path} (archive, extracted folder, or a folder holding either). */
    public static DataSplit load10(Path path) {
        return load(path, TEN, Labels.CIFAR10);
    }

    /** CIFAR-100 with its 100 fine labels. */
    public static DataSplit load100(Path path) {
        return load(path, HUNDRED, Labels.FINE);
    }

    /** CIFAR-100 with {@link Labels#FINE fine} or {@link Labels#COARSE coarse} labels. */
    public static DataSplit load100(Path path, Labels labels) {
        if (labels == Labels.CIFAR10) {
            throw new DatasetException("CIFAR-100 has fine or coarse labels, not CIFAR10 labels");
        }
        return load(path, HUNDRED, labels);
    }

    private static DataSplit load(Path path, Layout layout, Labels labels) {
        if (path == null) {
            throw notFound(layout, null, "no data.path was given");
        }
        if (Files.isRegularFile(path)) {
            return fromArchive(path, layout, labels);
        }
        if (!Files.isDirectory(path)) {
            throw notFound(layout, path, path + " does not exist");
        }
        if (Files.isRegularFile(path.resolve(layout.pythonTest()))) {
            return fromFolder(path, layout, labels, true);
        }
        if (Files.isRegularFile(path.resolve(layout.binaryTest()))) {
            return fromFolder(path, layout, labels, false);
        }
        if (Files.isDirectory(path.resolve(layout.pythonFolder()))) {
            return fromFolder(path.resolve(layout.pythonFolder()), layout, labels, true);
        }
        if (Files.isDirectory(path.resolve(layout.binaryFolder()))) {
            return fromFolder(path.resolve(layout.binaryFolder()), layout, labels, false);
        }
        if (Files.isRegularFile(path.resolve(layout.pythonArchive()))) {
            return fromArchive(path.resolve(layout.pythonArchive()), layout, labels);
        }
        if (Files.isRegularFile(path.resolve(layout.binaryArchive()))) {
            return fromArchive(path.resolve(layout.binaryArchive()), layout, labels);
        }
        throw notFound(layout, path, "nothing of it was found in " + path);
    }

    private static DatasetException notFound(Layout layout, Path path, String what) {
        return new DatasetException(
                String.format(
                        "%s not found: %s. Looked for %s or %s (the official archives), or their "
                                + "extracted folders %s/ or %s/%s. There is no network here: "
                                + "download the archive from %s on a machine with network, copy "
                                + "it over and set data.path to it (or to its folder).",
                        layout.title(), what, layout.pythonArchive(), layout.binaryArchive(),
                        layout.pythonFolder(), layout.binaryFolder(),
                        path == null ? "" : " in " + path, URL));
    }

    private static DataSplit fromArchive(Path archive, Layout layout, Labels labels) {
        Set<String> wanted = new HashSet<>();
        wanted.addAll(layout.pythonTrain());
        wanted.add(layout.pythonTest());
        wanted.addAll(layout.binaryTrain());
        wanted.add(layout.binaryTest());
        wanted.addAll(List.of("meta", "fine_label_names.txt", "coarse_label_names.txt"));
        Map<String, TarGz.Member> members = TarGz.read(archive, wanted);
        boolean python = members.containsKey(layout.pythonTest())
                || layout.pythonTrain().stream().anyMatch(members::containsKey);
        boolean binary = members.containsKey(layout.binaryTest())
                || layout.binaryTrain().stream().anyMatch(members::containsKey);
        if (!python && !binary) {
            throw new DatasetException(
                    String.format(
                            "%s: holds no %s data: expected the members %s/%s ... (python version, "
                                    + "%s) or %s/%s ... (binary version, %s). Get the official "
                                    + "archive from %s.",
                            archive, layout.title(), layout.pythonFolder(), layout.pythonTest(),
                            layout.pythonArchive(), layout.binaryFolder(), layout.binaryTest(),
                            layout.binaryArchive(), URL));
        }
        return read(new ArchiveSource(archive, members, layout, python), layout, labels, python);
    }

    private static DataSplit read(Source source, Layout layout, Labels labels, boolean python) {
        return python ? readPython(source, layout, labels) : readBinary(source, layout, labels);
    }

    private static DataSplit fromFolder(Path folder, Layout layout, Labels labels, boolean python) {
        return read(new FolderSource(folder, layout, python), layout, labels, python);
    }

    private static String describe(List<String> train, String test) {
        return String.join(", ", train) + " and " + test;
    }

    /** Where the members come from: an archive read into memory, or a folder. */
    private interface Source {
        byte[] read(String baseName, String folder);

        byte[] readOptional(String baseName);

        String where(String baseName);
    }

    /** The members of an official archive, read into memory. */
    private record ArchiveSource(Path archive, Map<String, TarGz.Member> members, Layout layout, boolean python)
            implements Source {
        @Override
        public byte[] read(String baseName, String folder) {
            TarGz.Member m = members.get(baseName);
            if (m == null) {
                throw new DatasetException(
                        String.format(
                                "%s: has no member %s/%s; an official %s archive holds %s",
                                archive, folder, baseName, layout.title(),
                                python ? describe(layout.pythonTrain(), layout.pythonTest())
                                        : describe(layout.binaryTrain(), layout.binaryTest())));
            }
            return m.data();
        }

        @Override
        public byte[] readOptional(String baseName) {
            TarGz.Member m = members.get(baseName);
            return m == null ? null : m.data();
        }

        @Override
        public String where(String baseName) {
            TarGz.Member m = members.get(baseName);
            return archive + ": member " + (m == null ? baseName : m.name());
        }
    }

    /** The files of an extracted official archive. */
    private record FolderSource(Path folder, Layout layout, boolean python) implements Source {
        @Override
        public byte[] read(String baseName, String ignored) {
            Path file = folder.resolve(baseName);
            if (!Files.isRegularFile(file)) {
                throw new DatasetException(
                        String.format(
                                "%s: missing; the extracted %s folder %s should hold %s",
                                file, layout.title(), folder,
                                python ? describe(layout.pythonTrain(), layout.pythonTest())
                                        : describe(layout.binaryTrain(), layout.binaryTest())));
            }
            try {
                return Files.readAllBytes(file);
            } catch (IOException e) {
                throw new DatasetException(file + ": cannot be read (" + e.getMessage() + ")", e);
            }
        }

        @Override
        public byte[] readOptional(String baseName) {
            Path file = folder.resolve(baseName);
            return Files.isRegularFile(file) ? read(baseName, null) : null;
        }

        @Override
        public String where(String baseName) {
            return folder.resolve(baseName).toString();
        }
    }

    // ---------------------------------------------------------------- python version

    private static DataSplit readPython(Source source, Layout layout, Labels labels) {
        String labelKey =
                switch (labels) {
                    case CIFAR10 -> "labels";
                    case FINE -> "fine_labels";
                    case COARSE -> "coarse_labels";
                };
        List<String> names = null;
        byte[] meta = source.readOptional("meta");
        if (meta != null) {
            Map<String, Object> dict = PickleReader.readDict(meta, source.where("meta"));
            names = PickleReader.optionalStrings(dict, labels == Labels.COARSE ? "coarse_label_names" : "fine_label_names");
        }
        List<Part> train = new ArrayList<>();
        for (String member : layout.pythonTrain()) {
            train.add(pythonBatch(source, member, layout.pythonFolder(), labelKey, labels));
        }
        Part test = pythonBatch(source, layout.pythonTest(), layout.pythonFolder(), labelKey, labels);
        return split(labels, train, test, names);
    }

    private static Part pythonBatch(
            Source source, String member, String folder, String labelKey, Labels labels) {
        byte[] bytes = source.read(member, folder);
        String where = source.where(member);
        Map<String, Object> dict = PickleReader.readDict(bytes, where);
        PickleReader.NumpyArray data = PickleReader.uint8Matrix(dict, "data", PIXELS, where);
        int[] y = PickleReader.intList(dict, labelKey, where);
        if (y.length != data.shape[0]) {
            throw new DatasetException(
                    String.format(
                            "%s: b'data' holds %d images but b'%s' holds %d labels",
                            where, data.shape[0], labelKey, y.length));
        }
        checkLabels(y, labels, where);
        return new Part(data.data, y);
    }

    // ---------------------------------------------------------------- binary version

    private static DataSplit readBinary(Source source, Layout layout, Labels labels) {
        String namesFile = labels == Labels.COARSE ? "coarse_label_names.txt" : "fine_label_names.txt";
        byte[] namesBytes = labels == Labels.CIFAR10 ? null : source.readOptional(namesFile);
        List<String> names = namesBytes == null ? null : new String(namesBytes, StandardCharsets.UTF_8).lines()
                .map(String::strip).filter(s -> !s.isEmpty()).toList();
        List<Part> train = new ArrayList<>();
        for (String member : layout.binaryTrain()) {
            train.add(binaryBatch(source, member, layout.binaryFolder(), labels));
        }
        Part test = binaryBatch(source, layout.binaryTest(), layout.binaryFolder(), labels);
        return split(labels, train, test, names);
    }

    /**
     * Where both versions end: the train and test sets, named as the dataset, with the class names
     * found in the files when there is one per class (CIFAR-10's own otherwise, none for CIFAR-100).
     */
    private static DataSplit split(Labels labels, List<Part> train, Part test, List<String> found) {
        List<String> classNames = found != null && found.size() == labels.classes ? found
                : labels == Labels.CIFAR10 ? CIFAR10_CLASS_NAMES : null;
        String name = labels == Labels.CIFAR10 ? "cifar10" : labels == Labels.FINE ? "cifar100" : "cifar100-coarse";
        return new DataSplit(
                join(name + "/train", train, labels, classNames),
                join(name + "/test", List.of(test), labels, classNames));
    }

    private static Part binaryBatch(Source source, String member, String folder, Labels labels) {
        byte[] bytes = source.read(member, folder);
        String where = source.where(member);
        // CIFAR-10: <label><3072 pixels>; CIFAR-100: <coarse label><fine label><3072 pixels>.
        int labelBytes = labels == Labels.CIFAR10 ? 1 : 2;
        int labelAt = labels == Labels.COARSE ? 0 : labelBytes - 1;
        int record = labelBytes + PIXELS;
        if (bytes.length == 0 || bytes.length % record != 0) {
            throw new DatasetException(
                    String.format(
                            "%s: %d bytes is not a whole number of records of %d bytes (%s + "
                                    + "3072 pixel bytes); the file is truncated or not %s binary data",
                            where, bytes.length, record,
                            labelBytes == 1 ? "1 label byte" : "2 label bytes (coarse, fine)",
                            labels == Labels.CIFAR10 ? "CIFAR-10" : "CIFAR-100"));
        }
        int n = bytes.length / record;
        byte[] pixels = new byte[n * PIXELS];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = bytes[i * record + labelAt] & 0xFF;
            System.arraycopy(bytes, i * record + labelBytes, pixels, i * PIXELS, PIXELS);
        }
        checkLabels(y, labels, where);
        return new Part(pixels, y);
    }

    // ---------------------------------------------------------------- shared

    private record Part(byte[] pixels, int[] labels) {}

    private static void checkLabels(int[] y, Labels labels, String where) {
        for (int i = 0; i < y.length; i++) {
            if (y[i] < 0 || y[i] >= labels.classes) {
                throw new DatasetException(
                        String.format(
                                "%s: label %d of image %d is outside 0..%d",
                                where, y[i], i, labels.classes - 1));
            }
        }
    }

    private static ImageSet join(String name, List<Part> parts, Labels labels, List<String> classNames) {
        int n = parts.stream().mapToInt(p -> p.labels().length).sum();
        byte[] pixels = new byte[Math.multiplyExact(n, PIXELS)];
        int[] y = new int[n];
        int at = 0;
        for (Part p : parts) {
            System.arraycopy(p.pixels(), 0, pixels, at * PIXELS, p.pixels().length);
            System.arraycopy(p.labels(), 0, y, at, p.labels().length);
            at += p.labels().length;
        }
        ImageSet set = ImageSet.of(name, SHAPE, pixels, y, labels.classes);
        return classNames == null ? set : set.withClassNames(classNames);
    }
}

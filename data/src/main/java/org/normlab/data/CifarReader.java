package org.normlab.data;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads one version of CIFAR from a {@link CifarSource}: the python version's pickled dicts or the
 * binary version's fixed-size records. Both read the class names if the files have them, then
 * every training member and the test member, and end in one train/test split.
 */
final class CifarReader {

    static final int PIXELS = 3 * 32 * 32;
    static final ImageShape SHAPE = new ImageShape(3, 32, 32);

    private CifarReader() {}

    /** One member's images and labels. */
    private record Part(byte[] pixels, int[] labels) {}

    /** Reads one member of a version. */
    private interface PartReader {
        Part read(CifarSource source, String member, Cifar.Labels labels);
    }

    static DataSplit read(CifarSource source, CifarLayout.Version version, Cifar.Labels labels) {
        boolean python = version.pickled();
        List<String> names = python ? pythonClassNames(source, labels) : binaryClassNames(source, labels);
        PartReader reader = python ? CifarReader::pythonPart : CifarReader::binaryPart;
        List<Part> train = new ArrayList<>();
        for (String member : version.train()) {
            train.add(reader.read(source, member, labels));
        }
        Part test = reader.read(source, version.test(), labels);
        return split(labels, train, test, names);
    }

    // ---------------------------------------------------------------- python version

    private static List<String> pythonClassNames(CifarSource source, Cifar.Labels labels) {
        byte[] meta = source.readOptional("meta");
        if (meta == null) {
            return null;
        }
        Map<String, Object> dict = PickleReader.readDict(meta, source.where("meta"));
        return PickleReader.optionalStrings(dict, labels == Cifar.Labels.COARSE ? "coarse_label_names" : "fine_label_names");
    }

    private static Part pythonPart(CifarSource source, String member, Cifar.Labels labels) {
        String labelKey =
                switch (labels) {
                    case CIFAR10 -> "labels";
                    case FINE -> "fine_labels";
                    case COARSE -> "coarse_labels";
                };
        byte[] bytes = source.read(member);
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

    private static List<String> binaryClassNames(CifarSource source, Cifar.Labels labels) {
        String namesFile = labels == Cifar.Labels.COARSE ? "coarse_label_names.txt" : "fine_label_names.txt";
        byte[] namesBytes = labels == Cifar.Labels.CIFAR10 ? null : source.readOptional(namesFile);
        return namesBytes == null ? null : new String(namesBytes, StandardCharsets.UTF_8).lines()
                .map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    private static Part binaryPart(CifarSource source, String member, Cifar.Labels labels) {
        byte[] bytes = source.read(member);
        String where = source.where(member);
        // CIFAR-10: <label><3072 pixels>; CIFAR-100: <coarse label><fine label><3072 pixels>.
        int labelBytes = labels == Cifar.Labels.CIFAR10 ? 1 : 2;
        int labelAt = labels == Cifar.Labels.COARSE ? 0 : labelBytes - 1;
        int record = labelBytes + PIXELS;
        if (bytes.length == 0 || bytes.length % record != 0) {
            throw new DatasetException(
                    String.format(
                            "%s: %d bytes is not a whole number of records of %d bytes (%s + "
                                    + "3072 pixel bytes); the file is truncated or not %s binary data",
                            where, bytes.length, record,
                            labelBytes == 1 ? "1 label byte" : "2 label bytes (coarse, fine)",
                            labels == Cifar.Labels.CIFAR10 ? "CIFAR-10" : "CIFAR-100"));
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

    private static void checkLabels(int[] y, Cifar.Labels labels, String where) {
        for (int i = 0; i < y.length; i++) {
            if (y[i] < 0 || y[i] >= labels.classes) {
                throw new DatasetException(
                        String.format(
                                "%s: label %d of image %d is outside 0..%d",
                                where, y[i], i, labels.classes - 1));
            }
        }
    }

    /**
     * The train and test sets, named as the dataset, with the class names found in the files when
     * there is one per class (CIFAR-10's own otherwise, none for CIFAR-100).
     */
    private static DataSplit split(Cifar.Labels labels, List<Part> train, Part test, List<String> found) {
        List<String> classNames = found != null && found.size() == labels.classes ? found
                : labels == Cifar.Labels.CIFAR10 ? Cifar.CIFAR10_CLASS_NAMES : null;
        String name = labels == Cifar.Labels.CIFAR10 ? "cifar10" : labels == Cifar.Labels.FINE ? "cifar100" : "cifar100-coarse";
        return new DataSplit(
                join(name + "/train", train, labels, classNames),
                join(name + "/test", List.of(test), labels, classNames));
    }

    private static ImageSet join(String name, List<Part> parts, Cifar.Labels labels, List<String> classNames) {
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

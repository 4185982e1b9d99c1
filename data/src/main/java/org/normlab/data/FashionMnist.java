package org.normlab.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Fashion-MNIST (Zalando): 60,000 training and 10,000 test images, 1x28x28 grey, 10 classes,
 * from the four IDX files. Debian ships them in the package {@code dataset-fashion-mnist} under
 * {@link #DEFAULT_FOLDER}; a folder given by the user wins.
 */
public final class FashionMnist {

    public static final String NAME = "fashion-mnist";
    public static final Path DEFAULT_FOLDER = Path.of("/usr/share/datasets/fashion-mnist");
    public static final String TRAIN_IMAGES = "train-images-idx3-ubyte.gz";
    public static final String TRAIN_LABELS = "train-labels-idx1-ubyte.gz";
    public static final String TEST_IMAGES = "t10k-images-idx3-ubyte.gz";
    public static final String TEST_LABELS = "t10k-labels-idx1-ubyte.gz";
    public static final int CLASSES = 10;
    public static final List<String> CLASS_NAMES =
            List.of(
                    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
                    "Sneaker", "Bag", "Ankle boot");

    private FashionMnist() {}

    /** From {@link #DEFAULT_FOLDER}. */
    public static DataSplit load() {
        return load(null);
    }

    /**
     * From {@code folder}, or from {@link #DEFAULT_FOLDER} when it is null. The files may also be
     * uncompressed (the same names without .gz).
     *
     * @throws DatasetException when a file is missing (saying where it looked and how to get
     *     the data), or malformed
     */
    public static DataSplit load(Path folder) {
        Path dir = folder == null ? DEFAULT_FOLDER : folder;
        ImageSet train =
                read(dir, TRAIN_IMAGES, TRAIN_LABELS, NAME + "/train", folder == null);
        ImageSet test = read(dir, TEST_IMAGES, TEST_LABELS, NAME + "/test", folder == null);
        return new DataSplit(train, test);
    }

    private static ImageSet read(
            Path dir, String imagesName, String labelsName, String setName, boolean isDefault) {
        Path imagesFile = locate(dir, imagesName, isDefault);
        Path labelsFile = locate(dir, labelsName, isDefault);
        IdxReader.IdxImages images = IdxReader.readImages(imagesFile);
        int[] labels = IdxReader.readLabels(labelsFile);
        if (images.rows() != 28 || images.cols() != 28) {
            throw new DatasetException(
                    String.format(
                            "%s: images are %dx%d, Fashion-MNIST images are 28x28",
                            imagesFile, images.rows(), images.cols()));
        }
        if (images.count() != labels.length) {
            throw new DatasetException(
                    String.format(
                            "%s holds %d images but %s holds %d labels; they must match",
                            imagesFile, images.count(), labelsFile, labels.length));
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] >= CLASSES) {
                throw new DatasetException(
                        String.format(
                                "%s: label %d of item %d is outside 0..9",
                                labelsFile, labels[i], i));
            }
        }
        return ImageSet.of(setName, new ImageShape(1, 28, 28), images.pixels(), labels, CLASSES)
                .withClassNames(CLASS_NAMES);
    }

    private static Path locate(Path dir, String name, boolean isDefault) {
        Path gz = dir.resolve(name);
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        Path plain = dir.resolve(name.substring(0, name.length() - ".gz".length()));
        if (Files.isRegularFile(plain)) {
            return plain;
        }
        throw new DatasetException(
                String.format(
                        "Fashion-MNIST not found: looked for %s (or %s) in %s%s. Install it with "
                                + "`apt-get install dataset-fashion-mnist` (it lands in %s), or "
                                + "set data.path to a folder holding %s, %s, %s and %s.",
                        name, plain.getFileName(), dir,
                        isDefault ? " (the default folder)" : "",
                        DEFAULT_FOLDER, TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS));
    }
}

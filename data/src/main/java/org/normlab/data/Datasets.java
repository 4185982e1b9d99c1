package org.normlab.data;

import java.nio.file.Path;
import java.util.List;

/** The datasets by the names a sweep file uses. */
public final class Datasets {

    /** The names {@link #load} knows (synthetic and mix have their own settings). */
    public static final List<String> NAMES = List.of(FashionMnist.NAME, "cifar10", "cifar100");

    private Datasets() {}

    /**
     * A file-backed dataset by name.
     *
     * @param path the folder or archive (null: Fashion-MNIST's default folder; required for
     *     CIFAR)
     * @throws DatasetException for an unknown name (listing the known ones), or when the data is
     *     missing or malformed
     */
    public static DataSplit load(String name, Path path) {
        return switch (name) {
            case FashionMnist.NAME -> FashionMnist.load(path);
            case "cifar10" -> Cifar.load10(path);
            case "cifar100" -> Cifar.load100(path);
            default -> throw new DatasetException(
                    "unknown dataset '" + name + "'; known: " + String.join(", ", NAMES)
                            + ", plus synthetic and mix (which take their own settings)");
        };
    }
}

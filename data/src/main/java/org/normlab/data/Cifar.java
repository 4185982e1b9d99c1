package org.normlab.data;

import java.nio.file.Files;
import java.nio.file.Path;
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

    private Cifar() {}

    /** CIFAR-10 from {@code path} (archive, extracted folder, or a folder holding either). */
    public static DataSplit load10(Path path) {
        return load(path, CifarLayout.TEN, Labels.CIFAR10);
    }

    /** CIFAR-100 with its 100 fine labels. */
    public static DataSplit load100(Path path) {
        return load(path, CifarLayout.HUNDRED, Labels.FINE);
    }

    /** CIFAR-100 with {@link Labels#FINE fine} or {@link Labels#COARSE coarse} labels. */
    public static DataSplit load100(Path path, Labels labels) {
        if (labels == Labels.CIFAR10) {
            throw new DatasetException("CIFAR-100 has fine or coarse labels, not CIFAR10 labels");
        }
        return load(path, CifarLayout.HUNDRED, labels);
    }

    private static DataSplit load(Path path, CifarLayout layout, Labels labels) {
        if (path == null) {
            throw notFound(layout, null, "no data.path was given");
        }
        if (Files.isRegularFile(path)) {
            return fromArchive(path, layout, labels);
        }
        if (!Files.isDirectory(path)) {
            throw notFound(layout, path, path + " does not exist");
        }
        for (CifarLayout.Version version : layout.versions()) {
            if (Files.isRegularFile(path.resolve(version.test()))) {
                return fromFolder(path, layout, version, labels);
            }
        }
        for (CifarLayout.Version version : layout.versions()) {
            if (Files.isDirectory(path.resolve(version.folder()))) {
                return fromFolder(path.resolve(version.folder()), layout, version, labels);
            }
        }
        for (CifarLayout.Version version : layout.versions()) {
            if (Files.isRegularFile(path.resolve(version.archive()))) {
                return fromArchive(path.resolve(version.archive()), layout, labels);
            }
        }
        throw notFound(layout, path, "nothing of it was found in " + path);
    }

    private static DatasetException notFound(CifarLayout layout, Path path, String what) {
        return new DatasetException(
                String.format(
                        "%s not found: %s. Looked for %s or %s (the official archives), or their "
                                + "extracted folders %s/ or %s/%s. There is no network here: "
                                + "download the archive from %s on a machine with network, copy "
                                + "it over and set data.path to it (or to its folder).",
                        layout.title(), what, layout.python().archive(), layout.binary().archive(),
                        layout.python().folder(), layout.binary().folder(),
                        path == null ? "" : " in " + path, URL));
    }

    private static DataSplit fromFolder(Path folder, CifarLayout layout, CifarLayout.Version version, Labels labels) {
        return CifarReader.read(new CifarSource.Folder(folder, layout, version), version, labels);
    }

    private static DataSplit fromArchive(Path archive, CifarLayout layout, Labels labels) {
        Set<String> wanted = new HashSet<>(List.of("meta", "fine_label_names.txt", "coarse_label_names.txt"));
        for (CifarLayout.Version version : layout.versions()) {
            wanted.addAll(version.train());
            wanted.add(version.test());
        }
        Map<String, TarGz.Member> members = TarGz.read(archive, wanted);
        for (CifarLayout.Version version : layout.versions()) {
            if (version.heldBy(members)) {
                return CifarReader.read(new CifarSource.Archive(archive, members, layout, version), version, labels);
            }
        }
        throw new DatasetException(
                String.format(
                        "%s: holds no %s data: expected the members %s/%s ... (python version, "
                                + "%s) or %s/%s ... (binary version, %s). Get the official "
                                + "archive from %s.",
                        archive, layout.title(), layout.python().folder(), layout.python().test(),
                        layout.python().archive(), layout.binary().folder(), layout.binary().test(),
                        layout.binary().archive(), URL));
    }
}

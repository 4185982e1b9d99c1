package org.normlab.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The mix-dataset attack (IEBN paper, second noise attack): one network trains on two datasets
 * of different distributions at once, so every shuffled batch mixes them and the batch
 * statistics are disturbed.
 *
 * <p>The first component is always Fashion-MNIST; the second ({@link Partner}) is an
 * intensity-inverted copy, a contrast/brightness-shifted copy, or CIFAR-10 turned grey and
 * resized to 28x28. A mixed set of n images takes {@code round(ratio * n)} from the second
 * component and the rest from the first; both parts are seeded, class-stratified draws, and
 * for the derived partners they are disjoint slices of one permutation of Fashion-MNIST, so no
 * image is seen twice (once plain, once altered). The test set is mixed the same way from the
 * test sets. Every image keeps its component index (0 = Fashion-MNIST, 1 = partner) so accuracy
 * can be reported per component.
 */
public final class MixDataset {

    /** The second component of the mix. */
    public enum Partner {
        /** Fashion-MNIST with every pixel v replaced by 255 - v. */
        INVERTED("inverted"),
        /**
         * Fashion-MNIST with contrast and brightness changed: v' = clamp(round((v - 127.5) *
         * contrast + 127.5 + 255 * brightness)); by default contrast 0.5 and brightness 0.25, which
         * maps 0..255 onto 128..255 (a bright, low-contrast copy).
         */
        SHIFTED("shifted"),
        /** CIFAR-10 turned grey (BT.601 luminance) and resized to 28x28 (bilinear). */
        CIFAR10("cifar10");

        private final String configName;

        Partner(String configName) {
            this.configName = configName;
        }

        public String configName() {
            return configName;
        }

        /** The partner with this configuration name; the error lists the allowed ones. */
        public static Partner parse(String name) {
            for (Partner p : values()) {
                if (p.configName.equals(name.toLowerCase(Locale.ROOT))) {
                    return p;
                }
            }
            throw new DatasetException(
                    "unknown mix partner '" + name + "'; allowed: inverted, shifted, cifar10");
        }
    }

    /** How the second component's labels relate to the first's. */
    public enum LabelMode {
        /** Both components use the same classes 0..9 (one 10-way output). */
        SHARED,
        /** The second component's labels are shifted by 10: classes 10..19 (20-way output). */
        OFFSET;

        public static LabelMode parse(String name) {
            return switch (name.toLowerCase(Locale.ROOT)) {
                case "shared" -> SHARED;
                case "offset" -> OFFSET;
                default -> throw new DatasetException(
                        "unknown mix label mode '" + name + "'; allowed: shared, offset");
            };
        }
    }

    /**
     * The settings of a mix.
     *
     * @param partner the second component
     * @param ratio fraction of images from the second component, in (0, 1)
     * @param labels shared classes or offset labels
     * @param seed seed of the draws
     * @param contrast contrast factor of {@link Partner#SHIFTED} (> 0)
     * @param brightness brightness shift of {@link Partner#SHIFTED}, in [0, 1] intensity units
     * @param trainSize images in the mixed training set; 0 means as many as Fashion-MNIST's
     *     training set (so the mix is as large as the plain baseline)
     * @param testSize the same for the test set; 0 means as many as Fashion-MNIST's test set
     */
    public record Spec(
            Partner partner,
            double ratio,
            LabelMode labels,
            long seed,
            double contrast,
            double brightness,
            int trainSize,
            int testSize) {

        public static final double DEFAULT_CONTRAST = 0.5;
        public static final double DEFAULT_BRIGHTNESS = 0.25;

        public Spec {
            if (partner == null || labels == null) {
                throw new DatasetException("a mix needs a partner and a label mode");
            }
            if (!(ratio > 0 && ratio < 1)) {
                throw new DatasetException(
                        "the mix ratio (fraction of images from the second component) must be "
                                + "strictly between 0 and 1, got " + ratio);
            }
            if (!(contrast > 0) || Double.isNaN(brightness) || Math.abs(brightness) > 1) {
                throw new DatasetException(
                        String.format(
                                "a shifted mix needs contrast > 0 and brightness in [-1, 1], "
                                        + "got contrast %s, brightness %s",
                                contrast, brightness));
            }
            if (trainSize < 0 || testSize < 0) {
                throw new DatasetException("mix sizes must be >= 0 (0 = default)");
            }
        }

        /** A mix with the default shift parameters and default sizes. */
        public static Spec of(Partner partner, double ratio, LabelMode labels, long seed) {
            return new Spec(
                    partner, ratio, labels, seed, DEFAULT_CONTRAST, DEFAULT_BRIGHTNESS, 0, 0);
        }
    }

    private MixDataset() {}

    /**
     * Loads the data the spec needs and mixes it.
     *
     * @param fashionFolder Fashion-MNIST's folder, or null for the default
     * @param cifarPath where CIFAR-10 is, needed only for {@link Partner#CIFAR10}
     */
    public static DataSplit load(Spec spec, Path fashionFolder, Path cifarPath) {
        DataSplit fashion = FashionMnist.load(fashionFolder);
        DataSplit cifar = null;
        if (spec.partner() == Partner.CIFAR10) {
            if (cifarPath == null) {
                throw new DatasetException(
                        "the mix partner cifar10 needs the path of CIFAR-10: download "
                                + "cifar-10-python.tar.gz from " + Cifar.URL
                                + " on a machine with network, copy it here and give its path");
            }
            cifar = Cifar.load10(cifarPath);
        }
        return build(fashion, cifar, spec);
    }

    /**
     * Mixes already loaded data.
     *
     * @param first the first component (Fashion-MNIST, or any grey set in tests)
     * @param cifar10 CIFAR-10 (any shape; it is turned grey and resized to the first's size);
     *     only read for {@link Partner#CIFAR10}
     */
    public static DataSplit build(DataSplit first, DataSplit cifar10, Spec spec) {
        if (spec.partner() == Partner.CIFAR10 && cifar10 == null) {
            throw new DatasetException("the mix partner cifar10 needs CIFAR-10 data");
        }
        return new DataSplit(
                mix(first.train(), cifar10 == null ? null : cifar10.train(), spec,
                        spec.trainSize(), "train", 0),
                mix(first.test(), cifar10 == null ? null : cifar10.test(), spec,
                        spec.testSize(), "test", 1));
    }

    private static ImageSet mix(
            ImageSet first, ImageSet cifar, Spec spec, int requested, String part, int stream) {
        int n = requested == 0 ? first.size() : requested;
        int n2 = (int) Math.round(spec.ratio() * n);
        int n1 = n - n2;
        long seed = Seeds.mix(spec.seed(), stream);
        ImageSet a;
        ImageSet b;
        String partnerName;
        if (spec.partner() == Partner.CIFAR10) {
            if (n1 > first.size() || n2 > cifar.size()) {
                throw new DatasetException(
                        String.format(
                                "a %s mix of %d %s images at ratio %s needs %d first-component and "
                                        + "%d CIFAR-10 images, but there are %d and %d",
                                part, n, part, spec.ratio(), n1, n2, first.size(), cifar.size()));
            }
            a = take(first, first.stratifiedOrder(seed), 0, n1);
            b = take(cifar, cifar.stratifiedOrder(Seeds.mix(seed, 2)), 0, n2)
                    .toChannels(first.channels())
                    .resize(first.height(), first.width());
            partnerName = "cifar10-grey";
        } else {
            if (n > first.size()) {
                throw new DatasetException(
                        String.format(
                                "a %s mix of %d images needs that many distinct images, but the "
                                        + "first component has %d",
                                part, n, first.size()));
            }
            int[] order = first.stratifiedOrder(seed);
            a = take(first, order, 0, n1);
            b = ImageOps.mapIntensity(take(first, order, n1, n2), table(spec));
            partnerName = baseName(first) + "-" + spec.partner().configName();
        }
        return concat(first, a, b, spec, partnerName, part);
    }

    private static ImageSet take(ImageSet set, int[] order, int from, int count) {
        int[] picked = Arrays.copyOfRange(order, from, from + count);
        Arrays.sort(picked);
        return set.select(picked);
    }

    /** The intensity table of the derived partners. */
    static byte[] table(Spec spec) {
        byte[] t = new byte[256];
        for (int v = 0; v < 256; v++) {
            float out =
                    spec.partner() == Partner.INVERTED
                            ? 255 - v
                            : (float) ((v - 127.5) * spec.contrast() + 127.5
                                    + 255 * spec.brightness());
            t[v] = ImageOps.toByte(out);
        }
        return t;
    }

    private static ImageSet concat(
            ImageSet first, ImageSet a, ImageSet b, Spec spec, String partnerName, String part) {
        int n1 = a.size();
        int n = n1 + b.size();
        int per = a.shape().size();
        byte[] pixels = new byte[Math.multiplyExact(n, per)];
        System.arraycopy(a.pixelArray(), 0, pixels, 0, a.pixelArray().length);
        System.arraycopy(b.pixelArray(), 0, pixels, n1 * per, b.pixelArray().length);
        int offset = spec.labels() == LabelMode.OFFSET ? first.numClasses() : 0;
        int[] labels = new int[n];
        byte[] components = new byte[n];
        for (int i = 0; i < n1; i++) {
            labels[i] = a.label(i);
        }
        int partnerClasses = spec.partner() == Partner.CIFAR10 ? b.numClasses() : first.numClasses();
        for (int i = n1; i < n; i++) {
            labels[i] = b.label(i - n1) + offset;
            components[i] = 1;
        }
        int classes =
                spec.labels() == LabelMode.OFFSET
                        ? first.numClasses() + partnerClasses
                        : Math.max(first.numClasses(), partnerClasses);
        String firstName = baseName(first);
        ImageSet mixed =
                ImageSet.of(
                        "mix(" + firstName + "+" + partnerName + ")/" + part,
                        a.shape(), pixels, labels, classes)
                        .withComponents(components, List.of(firstName, partnerName));
        List<String> names = classNames(first, b, spec, partnerName, classes);
        return names == null ? mixed : mixed.withClassNames(names);
    }

    private static List<String> classNames(
            ImageSet first, ImageSet partner, Spec spec, String partnerName, int classes) {
        if (first.classNames().isEmpty()) {
            return null;
        }
        List<String> names = new ArrayList<>(first.classNames());
        if (spec.labels() == LabelMode.OFFSET) {
            List<String> second =
                    spec.partner() == Partner.CIFAR10 ? partner.classNames() : first.classNames();
            if (second.isEmpty()) {
                return null;
            }
            for (String s : second) {
                names.add(partnerName + ":" + s);
            }
        }
        return names.size() == classes ? names : null;
    }

    private static String baseName(ImageSet set) {
        String name = set.name();
        int slash = name.indexOf('/');
        return slash < 0 ? name : name.substring(0, slash);
    }
}

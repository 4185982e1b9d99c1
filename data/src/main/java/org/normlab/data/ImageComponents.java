package org.normlab.data;

import java.util.List;

/**
 * Which component of a mixed dataset each image of an {@link ImageSet} came from (so that accuracy
 * can be reported per component): an index per image into the component names. Immutable like
 * the set; its array is shared, not copied.
 */
final class ImageComponents {

    private final byte[] ofImage;
    private final List<String> names;

    private ImageComponents(byte[] ofImage, List<String> names) {
        this.ofImage = ofImage;
        this.names = names;
    }

    /**
     * The components of the {@code images} images of set {@code set}; {@code ofImage} is taken
     * over, not copied.
     *
     * @throws DatasetException when the counts disagree or an index is outside the names
     */
    static ImageComponents of(String set, byte[] ofImage, List<String> names, int images) {
        if (ofImage.length != images) {
            throw new DatasetException(
                    String.format("%s: %d component indices given for %d images", set, ofImage.length, images));
        }
        if (names.isEmpty() || names.size() > Byte.MAX_VALUE) {
            throw new DatasetException(set + ": between 1 and 127 component names are allowed, got " + names.size());
        }
        for (int i = 0; i < ofImage.length; i++) {
            ImageSet.checkIndex(set, "component", ofImage[i], i, names.size());
        }
        return new ImageComponents(ofImage, List.copyOf(names));
    }

    /** The component image {@code image} came from. */
    int of(int image) {
        return ofImage[image];
    }

    List<String> names() {
        return names;
    }

    /** Images per component. */
    int[] counts() {
        int[] counts = new int[names.size()];
        for (byte c : ofImage) {
            counts[c]++;
        }
        return counts;
    }

    /** The components of the images at these (valid) indices, in this order. */
    ImageComponents select(int[] indices) {
        byte[] selected = new byte[indices.length];
        for (int k = 0; k < indices.length; k++) {
            selected[k] = ofImage[indices[k]];
        }
        return new ImageComponents(selected, names);
    }

    /** The component of each image, shared. */
    byte[] array() {
        return ofImage;
    }
}

package org.normlab.data;

/** The shape of one image: channels x height x width. */
public record ImageShape(int channels, int height, int width) {

    public ImageShape {
        if (channels < 1 || height < 1 || width < 1) {
            throw new DatasetException(
                    String.format(
                            "an image shape needs channels, height and width >= 1, got %dx%dx%d",
                            channels, height, width));
        }
    }

    /** Values in one image: channels * height * width. */
    public int size() {
        return channels * height * width;
    }

    /** Pixels in one channel plane: height * width. */
    public int plane() {
        return height * width;
    }

    @Override
    public String toString() {
        return channels + "x" + height + "x" + width;
    }
}

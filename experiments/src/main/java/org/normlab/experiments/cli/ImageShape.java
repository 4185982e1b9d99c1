package org.normlab.experiments.cli;

import picocli.CommandLine;

/** {@code CxHxW} on the command line, e.g. {@code 3x32x32}. */
record ImageShape(int channels, int height, int width) {

    static final class Converter implements CommandLine.ITypeConverter<ImageShape> {
        @Override
        public ImageShape convert(String value) {
            String[] parts = value.toLowerCase().split("x");
            try {
                if (parts.length == 3) {
                    ImageShape s = new ImageShape(
                            Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
                    if (s.channels > 0 && s.height > 0 && s.width > 0) {
                        return s;
                    }
                }
            } catch (NumberFormatException e) {
                // fall through to the message below
            }
            throw new CommandLine.TypeConversionException(
                    "'" + value + "' is not an image shape; write CxHxW with positive numbers, e.g. 3x32x32");
        }
    }

    @Override
    public String toString() {
        return channels + "x" + height + "x" + width;
    }
}

package org.normlab.experiments.cli;

import org.normlab.data.ImageShape;
import picocli.CommandLine;

/** {@code CxHxW} on the command line, e.g. {@code 3x32x32}. */
final class ImageShapeConverter implements CommandLine.ITypeConverter<ImageShape> {

    @Override
    public ImageShape convert(String value) {
        String[] parts = value.toLowerCase().split("x");
        try {
            if (parts.length == 3) {
                int channels = Integer.parseInt(parts[0]);
                int height = Integer.parseInt(parts[1]);
                int width = Integer.parseInt(parts[2]);
                if (channels > 0 && height > 0 && width > 0) {
                    return new ImageShape(channels, height, width);
                }
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new CommandLine.TypeConversionException(
                "'" + value + "' is not an image shape; write CxHxW with positive numbers, e.g. 3x32x32");
    }
}

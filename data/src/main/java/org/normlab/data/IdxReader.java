package org.normlab.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads the IDX files of MNIST and Fashion-MNIST (gzip-compressed when the name ends in .gz):
 * a big-endian int magic (2051 for unsigned-byte images with 3 dimensions, 2049 for labels with
 * 1), the dimension sizes, then the bytes.
 */
public final class IdxReader {

    /** Magic number of an IDX file of unsigned bytes with 3 dimensions (images). */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of an IDX file of unsigned bytes with 1 dimension (labels). */
    public static final int LABELS_MAGIC = 0x00000801;

    /** Images of an IDX3 file: count x rows x cols bytes, row-major. */
    public record IdxImages(int count, int rows, int cols, byte[] pixels) {}

    private IdxReader() {}

    public static IdxImages readImages(Path file) {
        try (DataInputStream in = open(file)) {
            readMagic(in, file, IMAGES_MAGIC, "images (unsigned bytes, 3 dimensions)");
            int count = readDimension(in, file, "image count");
            int rows = readDimension(in, file, "row count");
            int cols = readDimension(in, file, "column count");
            long total = (long) count * rows * cols;
            if (total > Integer.MAX_VALUE - 8) {
                throw new DatasetException(
                        String.format(
                                "%s: %d images of %dx%d are too many to hold in memory",
                                file, count, rows, cols));
            }
            byte[] pixels = readBody(in, file, (int) total,
                    String.format("%d images of %dx%d pixels", count, rows, cols));
            return new IdxImages(count, rows, cols, pixels);
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    /** The labels of an IDX1 file, each 0..255. */
    public static int[] readLabels(Path file) {
        try (DataInputStream in = open(file)) {
            readMagic(in, file, LABELS_MAGIC, "labels (unsigned bytes, 1 dimension)");
            int count = readDimension(in, file, "label count");
            byte[] raw = readBody(in, file, count, count + " labels");
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) {
                labels[i] = raw[i] & 0xFF;
            }
            return labels;
        } catch (IOException e) {
            throw unreadable(file, e);
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new DatasetException(file + ": no such file");
        }
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        if (file.getFileName().toString().endsWith(".gz")) {
            try {
                raw = new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16);
            } catch (ZipException | EOFException e) {
                raw.close();
                throw new DatasetException(
                        file + ": not a gzip file (" + e.getMessage()
                                + "); expected a gzip-compressed IDX file", e);
            }
        }
        return new DataInputStream(raw);
    }

    private static void readMagic(DataInputStream in, Path file, int expected, String what)
            throws IOException {
        int magic;
        try {
            magic = in.readInt();
        } catch (EOFException e) {
            throw new DatasetException(
                    file + ": empty or truncated before the IDX magic number; expected " + what);
        }
        if (magic != expected) {
            throw new DatasetException(
                    String.format(
                            "%s: wrong IDX magic number 0x%08X, expected 0x%08X (%s)",
                            file, magic, expected, what));
        }
    }

    private static int readDimension(DataInputStream in, Path file, String what)
            throws IOException {
        int value;
        try {
            value = in.readInt();
        } catch (EOFException e) {
            throw new DatasetException(file + ": truncated IDX header, the " + what + " is missing");
        }
        if (value < 0) {
            throw new DatasetException(file + ": negative " + what + " " + value + " in the header");
        }
        return value;
    }

    private static byte[] readBody(DataInputStream in, Path file, int length, String what)
            throws IOException {
        byte[] body = new byte[length];
        int read = in.readNBytes(body, 0, length);
        if (read < length) {
            throw new DatasetException(
                    String.format(
                            "%s: truncated: the header announces %s (%d bytes) but the data "
                                    + "ends after %d bytes",
                            file, what, length, read));
        }
        // Reading on to the end also makes a gzip stream check its CRC.
        if (in.read() != -1) {
            throw new DatasetException(
                    String.format(
                            "%s: longer than its header announces (%s); not a valid IDX file",
                            file, what));
        }
        return body;
    }

    private static DatasetException unreadable(Path file, IOException e) {
        return new DatasetException(
                file + ": cannot be read, the file is corrupt or truncated ("
                        + e.getClass().getSimpleName() + ": " + e.getMessage() + ")", e);
    }
}

package org.normlab.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/** Reads chosen members of a .tar.gz archive into memory, in one pass. */
final class TarGz {

    /** A member read from an archive: its full name there and its bytes. */
    record Member(String name, byte[] data) {}

    private TarGz() {}

    /**
     * The regular-file members whose base name (the part after the last '/') is in {@code
     * wanted}, keyed by base name. The whole archive is read, so a corrupt gzip stream (bad CRC)
     * is noticed even after the last wanted member.
     */
    static Map<String, Member> read(Path archive, Set<String> wanted) {
        Map<String, Member> found = new LinkedHashMap<>();
        String current = null;
        try (InputStream file = new BufferedInputStream(Files.newInputStream(archive), 1 << 16);
                GzipCompressorInputStream gz = new GzipCompressorInputStream(file);
                TarArchiveInputStream tar = new TarArchiveInputStream(gz)) {
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                current = entry.getName();
                String base = baseName(current);
                if (!entry.isFile() || !wanted.contains(base)) {
                    continue;
                }
                long size = entry.getSize();
                if (size > Integer.MAX_VALUE - 8) {
                    throw new DatasetException(
                            String.format(
                                    "%s: member %s is %d bytes, too large to read",
                                    archive, current, size));
                }
                byte[] data = tar.readNBytes((int) size);
                if (data.length < size) {
                    throw new DatasetException(
                            String.format(
                                    "%s: truncated archive: member %s should hold %d bytes but "
                                            + "ends after %d",
                                    archive, current, size, data.length));
                }
                found.put(base, new Member(current, data));
            }
            // Drain the gzip stream so its trailer (CRC, length) is checked.
            gz.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            throw new DatasetException(
                    String.format(
                            "%s: not a readable .tar.gz archive, it is corrupt or truncated%s "
                                    + "(%s: %s)",
                            archive,
                            current == null ? "" : " (while reading member " + current + ")",
                            e.getClass().getSimpleName(), e.getMessage()),
                    e);
        }
        return found;
    }

    static String baseName(String memberName) {
        String name = memberName;
        while (name.endsWith("/")) {
            name = name.substring(0, name.length() - 1);
        }
        return name.substring(name.lastIndexOf('/') + 1);
    }
}

package org.normlab.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Where the members of one CIFAR version come from: an archive read into memory, or its extracted folder. */
interface CifarSource {

    /** The member's bytes; a missing member is an error naming what the version should hold. */
    byte[] read(String baseName);

    /** The member's bytes, or null when it is not there. */
    byte[] readOptional(String baseName);

    /** The member's place, for error messages. */
    String where(String baseName);

    /** The members of an official archive, read into memory. */
    record Archive(Path archive, Map<String, TarGz.Member> members, CifarLayout layout, CifarLayout.Version version)
            implements CifarSource {
        @Override
        public byte[] read(String baseName) {
            TarGz.Member m = members.get(baseName);
            if (m == null) {
                throw new DatasetException(
                        String.format(
                                "%s: has no member %s/%s; an official %s archive holds %s",
                                archive, version.folder(), baseName, layout.title(), version.describe()));
            }
            return m.data();
        }

        @Override
        public byte[] readOptional(String baseName) {
            TarGz.Member m = members.get(baseName);
            return m == null ? null : m.data();
        }

        @Override
        public String where(String baseName) {
            TarGz.Member m = members.get(baseName);
            return archive + ": member " + (m == null ? baseName : m.name());
        }
    }

    /** The files of an extracted official archive. */
    record Folder(Path folder, CifarLayout layout, CifarLayout.Version version) implements CifarSource {
        @Override
        public byte[] read(String baseName) {
            Path file = folder.resolve(baseName);
            if (!Files.isRegularFile(file)) {
                throw new DatasetException(
                        String.format(
                                "%s: missing; the extracted %s folder %s should hold %s",
                                file, layout.title(), folder, version.describe()));
            }
            try {
                return Files.readAllBytes(file);
            } catch (IOException e) {
                throw new DatasetException(file + ": cannot be read (" + e.getMessage() + ")", e);
            }
        }

        @Override
        public byte[] readOptional(String baseName) {
            return Files.isRegularFile(folder.resolve(baseName)) ? read(baseName) : null;
        }

        @Override
        public String where(String baseName) {
            return folder.resolve(baseName).toString();
        }
    }
}

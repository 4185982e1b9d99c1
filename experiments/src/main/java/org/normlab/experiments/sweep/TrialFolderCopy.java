package org.normlab.experiments.sweep;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.normlab.results.AtomicFiles;
import org.normlab.results.FileNames;

/**
 * Puts a trial's folder into the merged results: its files hard-linked where the file system
 * allows, copied otherwise, hidden files left out, and result.json written last, so that a trial
 * appears whole or not at all.
 */
final class TrialFolderCopy {

    private TrialFolderCopy() {}

    static void copy(Path from, Path to) throws IOException {
        if (from.toAbsolutePath().normalize().equals(to.toAbsolutePath().normalize())) {
            return;
        }
        Path result = from.resolve(FileNames.RESULT);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(from)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().startsWith("."))
                    .filter(f -> !f.equals(result))
                    .toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        for (Path f : files) {
            Path target = to.resolve(from.relativize(f).toString());
            Files.createDirectories(target.getParent());
            Files.deleteIfExists(target);
            try {
                Files.createLink(target, f);
            } catch (IOException | UnsupportedOperationException e) {
                Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        AtomicFiles.write(to.resolve(FileNames.RESULT), Files.readAllBytes(result));
    }
}

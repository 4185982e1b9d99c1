package org.normlab.experiments.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.normlab.experiments.UserError;

/** Where k8s-job and slurm put what they generate: standard output, or a file. */
final class Launchers {

    private Launchers() {}

    static void emit(String text, Path file, String what) {
        if (file == null) {
            System.out.print(text);
            System.out.flush();
            return;
        }
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UserError("cannot write the " + what + " to " + file + ": " + e.getMessage());
        }
        System.err.println(what + " written to " + file);
    }
}

package org.normlab.experiments.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real fat jar in a child JVM, as a user would. */
final class Jar {

    static final Path JAR = Path.of("target", "experiments.jar").toAbsolutePath();
    static final Path PROJECT = Path.of("..").toAbsolutePath().normalize();

    /** What a run printed and returned. */
    record Run(int exit, String out, String err) {
        String all() {
            return out + err;
        }

        /** The last non-empty line of stdout. */
        String lastLine() {
            String[] lines = out.strip().split("\\R");
            return lines[lines.length - 1].strip();
        }
    }

    private Jar() {}

    static Run run(Path workDir, String... args) throws IOException, InterruptedException {
        if (!Files.isRegularFile(JAR)) {
            throw new IllegalStateException(JAR + " is missing: run `mvn verify` (these tests run after package)");
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("jar-out", ".txt");
        Path err = Files.createTempFile("jar-err", ".txt");
        Process p = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + String.join(" ", command));
        }
        Run run = new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return run;
    }

    static String fixture(String kind) {
        return PROJECT.resolve("norm-api/src/test/resources/fixtures/" + kind + ".json").toString();
    }

    static String sweep(String name) {
        return PROJECT.resolve("sweeps/" + name).toString();
    }

    static String classPath() {
        return System.getProperty("java.class.path").replace(File.pathSeparatorChar, File.pathSeparatorChar);
    }
}

package org.normlab.experiments.cli;

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
        return run(workDir, List.of(), args);
    }

    /** Runs the jar with extra JVM options (e.g. -Dnormlab.crash=...). */
    static Run run(Path workDir, List<String> jvmOptions, String... args) throws IOException, InterruptedException {
        return runJar(JAR, workDir, jvmOptions, args);
    }

    /** Runs another fat jar (a copy or another build of {@link #JAR}). */
    static Run runJar(Path jar, Path workDir, List<String> jvmOptions, String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile("jar-out", ".txt");
        Path err = Files.createTempFile("jar-err", ".txt");
        Process p = start(jar, workDir, jvmOptions, out, err, args);
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + String.join(" ", args));
        }
        return finished(p, out, err);
    }

    /** Starts the jar without waiting; stdout and stderr go to the given files. */
    /**
     * A process started with SIGINT ignored (mvn run as a background job of a non-interactive
     * shell: `mvn verify &`) passes that on, and a JVM installs no handler for an ignored
     * SIGINT, so the jar would run on through SignalIT's SIGINT: GNU env gives it the default back.
     */
    private static final List<String> RESET_SIGINT = resetSigint();

    private static List<String> resetSigint() {
        List<String> env = List.of("/usr/bin/env", "--default-signal=INT");
        try {
            List<String> probe = new ArrayList<>(env);
            probe.add("true");
            return new ProcessBuilder(probe).start().waitFor() == 0 ? env : List.of();
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    static Process start(Path workDir, List<String> jvmOptions, Path out, Path err, String... args) throws IOException {
        return start(JAR, workDir, jvmOptions, out, err, args);
    }

    private static Process start(Path jar, Path workDir, List<String> jvmOptions, Path out, Path err, String... args)
            throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run `mvn verify` (these tests run after package)");
        }
        List<String> command = new ArrayList<>(RESET_SIGINT);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    }

    /** What a {@link #start started} jar that has ended printed and returned; its two files are deleted. */
    static Run finished(Process p, Path out, Path err) throws IOException {
        Run run = new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        Files.delete(out);
        Files.delete(err);
        return run;
    }

    /**
     * Waits until a {@link #start started} jar's stdout shows {@code text}; fails when the process
     * ends first, or after 5 minutes.
     */
    static void awaitOutput(Path out, String text, Process p) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (System.nanoTime() < deadline) {
            if (Files.exists(out) && Files.readString(out, StandardCharsets.UTF_8).contains(text)) {
                return;
            }
            if (!p.isAlive()) {
                throw new AssertionError("the process ended before printing '" + text + "': " + Files.readString(out));
            }
            Thread.sleep(20);
        }
        throw new AssertionError("'" + text + "' never appeared");
    }

    /** Kills a {@link #start started} jar (SIGKILL) and waits for it to end. */
    static void kill(Process p) throws InterruptedException {
        p.destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
    }

    static String fixture(String kind) {
        return PROJECT.resolve("norm-api/src/test/resources/fixtures/" + kind + ".json").toString();
    }

    static String sweep(String name) {
        return PROJECT.resolve("sweeps/" + name).toString();
    }

}

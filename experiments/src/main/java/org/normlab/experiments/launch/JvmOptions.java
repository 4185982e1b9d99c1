package org.normlab.experiments.launch;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The JVM options NormLab runs with, read from {@code jvm.options} beside this class: the file
 * {@code bin/normlab} hands to java as an argument file, so the launchers and bin/normlab cannot
 * drift apart.
 */
public final class JvmOptions {

    /** The file's path in the source tree, which bin/normlab names. */
    public static final String SOURCE = "experiments/src/main/resources/org/normlab/experiments/launch/jvm.options";

    private static final List<String> DEFAULTS = read();

    private JvmOptions() {}

    /** The options, in the file's order. */
    public static List<String> defaults() {
        return DEFAULTS;
    }

    /** Options as java reads an argument file: '#' to the end of a line is a comment, words are split by blanks. */
    static List<String> parse(String text) {
        return text.lines().map(l -> l.replaceFirst("#.*", "").strip()).filter(l -> !l.isEmpty())
                .flatMap(l -> Arrays.stream(l.split("\\s+"))).toList();
    }

    private static List<String> read() {
        try (InputStream in = JvmOptions.class.getResourceAsStream("jvm.options")) {
            if (in == null) {
                throw new IllegalStateException("jvm.options is missing from the jar");
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

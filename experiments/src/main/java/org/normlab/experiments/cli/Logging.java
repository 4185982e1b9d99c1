package org.normlab.experiments.cli;

/**
 * Quiet logs by default: DJL reports engine details and a missing CUDA driver at INFO and WARN,
 * which drown the progress lines. --verbose brings them back.
 */
final class Logging {

    private Logging() {}

    static void configure(boolean verbose) {
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", verbose ? "info" : "warn");
        setIfAbsent("org.slf4j.simpleLogger.log.ai.djl", verbose ? "info" : "error");
        setIfAbsent("ai.djl.offline", "true");
        setIfAbsent("java.awt.headless", "true");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}

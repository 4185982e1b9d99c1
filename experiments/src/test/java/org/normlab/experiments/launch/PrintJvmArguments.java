package org.normlab.experiments.launch;

import java.lang.management.ManagementFactory;

/** Prints the JVM options this JVM was started with, one a line (for JvmOptionsTest). */
public final class PrintJvmArguments {

    private PrintJvmArguments() {}

    public static void main(String[] args) {
        ManagementFactory.getRuntimeMXBean().getInputArguments().forEach(System.out::println);
    }
}

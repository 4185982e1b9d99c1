package org.normlab.experiments.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/** The CPU's vector-instruction flags, which decide the oneDNN kernels PyTorch runs (docs/DETERMINISM.md). */
final class CpuFlags {

    private static final Path CPUINFO = Path.of("/proc/cpuinfo");

    private CpuFlags() {}

    /** avx2, avx512*, avx_vnni and the like from /proc/cpuinfo, or a word saying why none are known. */
    static String vectorFlags() {
        List<String> lines;
        try {
            lines = Files.readAllLines(CPUINFO);
        } catch (IOException e) {
            return "unknown (no " + CPUINFO + ")";
        }
        TreeSet<String> flags = new TreeSet<>();
        lines.stream().filter(l -> l.startsWith("flags")).findFirst().ifPresent(l -> Arrays.stream(
                l.substring(l.indexOf(':') + 1).trim().split("\\s+")).filter(f -> f.equals("avx2") || f.startsWith("avx512")
                        || f.equals("avx_vnni") || f.equals("amx_bf16")).forEach(flags::add));
        return flags.isEmpty() ? "none of avx2/avx512" : String.join(" ", flags);
    }
}

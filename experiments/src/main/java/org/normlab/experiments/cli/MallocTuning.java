package org.normlab.experiments.cli;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps glibc from handing libtorch's freed tensor memory back to the system. With glibc's
 * defaults every training step faults its activations in afresh (measured: ResNet-20 train step
 * 570 ms and 1.1 million page faults in 25 steps, vs 230 ms with these settings; BENCHMARKS.md).
 * Settings made with environment variables ({@code MALLOC_*_}, as {@code bin/normlab} does) win;
 * elsewhere than glibc this does nothing.
 */
final class MallocTuning {

    private static final Logger LOG = LoggerFactory.getLogger(MallocTuning.class);

    // mallopt parameters from glibc's malloc.h
    private static final int M_TRIM_THRESHOLD = -1;
    private static final int M_TOP_PAD = -2;
    private static final int M_MMAP_THRESHOLD = -3;

    /** Largest mmap threshold glibc accepts on 64-bit (HEAP_MAX_SIZE / 2). */
    static final int MMAP_THRESHOLD = 32 << 20;
    static final int TOP_PAD = 256 << 20;
    static final int TRIM_THRESHOLD = Integer.MAX_VALUE;

    private MallocTuning() {}

    interface LibC extends Library {
        int mallopt(int param, int value);

        String gnu_get_libc_version();
    }

    /** Applies the settings once, before the engine allocates; returns what it did, for the log. */
    static String apply(Map<String, String> env) {
        if (!System.getProperty("os.name", "").startsWith("Linux")) {
            return "not Linux: allocator left as is";
        }
        if (env.keySet().stream().anyMatch(k -> k.startsWith("MALLOC_") && k.endsWith("_"))) {
            return "MALLOC_* environment variables set: allocator left to them";
        }
        try {
            LibC libc = Native.load("c", LibC.class);
            String version = libc.gnu_get_libc_version();
            boolean ok = libc.mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1
                    & libc.mallopt(M_TRIM_THRESHOLD, TRIM_THRESHOLD) == 1
                    & libc.mallopt(M_TOP_PAD, TOP_PAD) == 1;
            return "glibc " + version + (ok ? ": malloc keeps freed memory" : ": mallopt refused a setting");
        } catch (LinkageError e) {
            return "no glibc mallopt (" + e.getMessage() + "): allocator left as is";
        }
    }

    static void applyAndLog() {
        LOG.info("malloc tuning: {}", apply(System.getenv()));
    }
}

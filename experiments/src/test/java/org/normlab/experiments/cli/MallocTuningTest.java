package org.normlab.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MallocTuningTest {

    @Test
    void environmentSettingsWin() {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"));
        assertEquals("MALLOC_* environment variables set: allocator left to them",
                MallocTuning.apply(Map.of("MALLOC_TOP_PAD_", "1")));
    }

    @Test
    void glibcAcceptsEverySetting() {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"));
        String done = MallocTuning.apply(Map.of("PATH", "/usr/bin"));
        assertTrue(done.startsWith("glibc ") && done.endsWith(": malloc keeps freed memory"), done);
    }
}

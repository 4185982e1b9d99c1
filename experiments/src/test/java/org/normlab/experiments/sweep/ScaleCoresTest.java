package org.normlab.experiments.sweep;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.normlab.results.UserError;

/** --parallel x --threads never puts more PyTorch threads than cores to work. */
class ScaleCoresTest {

    @Test
    void fittingRunsPass() {
        assertDoesNotThrow(() -> Scale.checkCores(1, null, 2));
        assertDoesNotThrow(() -> Scale.checkCores(2, 1, 2));
        assertDoesNotThrow(() -> Scale.checkCores(2, null, 2));
        assertDoesNotThrow(() -> Scale.checkCores(4, 4, 16));
        assertDoesNotThrow(() -> Scale.checkCores(1, 16, 16));
    }

    @Test
    void oversubscribingRunsAreRefusedSayingWhatFits() {
        assertEquals("--parallel 2 x --threads 2 = 4 PyTorch threads on this machine's 2 cores would oversubscribe them; "
                        + "use --threads 1 or fewer (or leave --threads out: the workers then split the cores)",
                assertThrows(UserError.class, () -> Scale.checkCores(2, 2, 2)).getMessage());
        assertEquals("--parallel 1 x --threads 3 = 3 PyTorch threads on this machine's 2 cores would oversubscribe them; "
                        + "use --threads 2 or fewer",
                assertThrows(UserError.class, () -> Scale.checkCores(1, 3, 2)).getMessage());
        assertEquals("--parallel 3: more trials at once than this machine's 2 cores would oversubscribe them "
                        + "(every trial at least 1 thread); use --parallel 2 or fewer",
                assertThrows(UserError.class, () -> Scale.checkCores(3, null, 2)).getMessage());
        assertThrows(UserError.class, () -> Scale.checkCores(5, 4, 16));
    }
}

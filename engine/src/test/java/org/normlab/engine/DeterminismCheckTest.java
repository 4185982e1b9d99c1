package org.normlab.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.nn.LambdaBlock;
import ai.djl.pytorch.jni.JniUtils;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.normlab.norm.NormFactory;
import org.normlab.norm.NormRegistry;

/**
 * One real ResNet-8 training step of every shipped norm, twice, bit for bit at this machine's
 * default thread count (2 on the CI machines), and a norm that is not deterministic caught.
 */
class DeterminismCheckTest {

    private static final List<String> SHIPPED = List.of("bn", "brn", "constant", "evonorm_b0", "evonorm_s0", "frn",
            "gaussian", "ghost", "gn", "iebn", "in", "ln");

    @Test
    void everyShippedNormTrainsTheSameStepTwiceBitForBit() {
        NormRegistry registry = NormRegistry.load();
        assertTrue(registry.names().containsAll(SHIPPED), "the norms NormLab ships: " + registry.names());
        ai.djl.engine.Engine.getInstance(); // loads the natives JniUtils calls
        int threads = JniUtils.getNumThreads();
        assertTrue(threads >= Math.min(2, Runtime.getRuntime().availableProcessors()), "default threads: " + threads);
        int checked = 0;
        for (String norm : SHIPPED) {
            DeterminismCheck.Outcome outcome = DeterminismCheck.check(norm, () -> registry.factory(norm, Map.of()));
            assertNull(outcome.firstDifference(), norm + " at " + threads + " threads");
            // initial values, logits, loss, gradients and values after the step of ~25 parameters
            assertTrue(outcome.compared() > 60, norm + ": " + outcome.compared() + " tensors");
            checked++;
        }
        assertEquals(12, checked);
    }

    @Test
    void aNormThatIsNotDeterministicIsNamedWithItsFirstDifferingTensor() {
        Random unseeded = new Random();
        NormFactory noisy = channels -> LambdaBlock.singleton(x -> x.mul(1f + unseeded.nextFloat()));
        DeterminismCheck.Outcome outcome = DeterminismCheck.check("noisy", () -> noisy);
        assertFalse(outcome.agrees());
        assertEquals("noisy", outcome.norm());
        assertTrue(outcome.firstDifference().startsWith("logits differs at element 0 ("), outcome.firstDifference());
        assertTrue(outcome.firstDifference().endsWith(" of 160 values differ)"), outcome.firstDifference());
    }
}

package org.normlab.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.normlab.models.TestNorms.norm;
import static org.normlab.models.TestNorms.trainable;

import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Norms that carry their activation (frn, the EvoNorms) replace norm + ReLU everywhere and run
 * without it where no activation follows (before the residual addition, in shortcuts); trainable
 * parameter counts follow from that.
 */
class NormActivationTest {

    /**
     * resnet20 (A): 19 norms, 2 parameters per channel: 269,722 as bn. frn's tau and the
     * EvoNorms' v exist only where the activation is kept: stem 16 + the first norm of each of the
     * 9 units, 3 * (16 + 32 + 64) = 352 more.
     */
    @ParameterizedTest
    @CsvSource({"bn, 269722", "gn, 269722", "ln, 269722", "in, 269722", "brn, 269722",
        "frn, 270074", "evonorm_b0, 270074", "evonorm_s0, 270074"})
    void resnet20TrainableParameters(String name, long expected) {
        ModelSpec spec = Models.parse("resnet20", 10, 3);
        assertEquals(expected, trainable(spec, norm(name), norm(name), 32));
    }

    @Test
    void resnet18WithFrnKeepsTauOnlyWhereAReluWas() {
        // Stem 64 + the first norm of 2 units per stage; shortcuts (128, 256, 512) without tau.
        ModelSpec spec = Models.parse("resnet18", 10, 3);
        long taus = 64 + 2 * (64 + 128 + 256 + 512);
        assertEquals(11_181_642L + taus, trainable(spec, norm("frn"), norm("frn"), 32));
    }

    @ParameterizedTest
    @ValueSource(strings = {"frn", "evonorm_b0", "evonorm_s0"})
    void normActLayersReplaceEveryReluAfterANorm(String name) {
        TestNorms.Recording body = new TestNorms.Recording(norm(name));
        TestNorms.Recording shortcut = new TestNorms.Recording(norm(name));
        Block net = Models.build(new ModelSpec("cifar_resnet", 20, 10, 3, Shortcut.B, null, false), body, shortcut);
        assertEquals(0, relus(net));
        // The second norm of every unit, before the addition, runs without its activation.
        assertEquals(List.of(16, 16, 16, 32, 32, 32, 64, 64, 64), body.withoutActivation);
        assertEquals(List.of(32, 64), shortcut.withoutActivation);
        assertEquals(19, body.channels.size());
    }

    @Test
    void plainNormsKeepTheirRelus() {
        TestNorms.Recording body = new TestNorms.Recording(norm("gn"));
        Block net = Models.build(Models.parse("resnet20", 10, 3), body, body);
        // Stem + one per basic unit; the ReLU after each addition is the residual unit's own.
        assertEquals(10, relus(net));
        Block bottleneck = Models.build(Models.parse("resnet164", 10, 3), norm("bn"), norm("bn"));
        assertEquals(1 + 2 * 54, relus(bottleneck));
    }

    private static int relus(Block block) {
        int n = block instanceof LambdaBlock l && "ReLU".equalsIgnoreCase(l.getName()) ? 1 : 0;
        for (Block child : block.getChildren().values()) {
            n += relus(child);
        }
        return n;
    }
}

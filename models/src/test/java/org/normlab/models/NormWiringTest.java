package org.normlab.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Body norms come from one factory and shortcut norms from the other, layer by layer. */
class NormWiringTest {

    private static List<Integer> repeat(int times, int channels) {
        return Collections.nCopies(times, channels);
    }

    private static List<Integer> concat(List<Integer> first, List<Integer> rest) {
        List<Integer> all = new ArrayList<>(first);
        all.addAll(rest);
        return all;
    }

    @Test
    void resnet18AsksEachFactoryForItsLayers() {
        TestNorms.Recording body = new TestNorms.Recording(TestNorms.bn());
        TestNorms.Recording shortcut = new TestNorms.Recording(TestNorms.bn());
        Models.build(Models.parse("resnet18", 10, 3), body, shortcut);
        // Stem, then two basic units (two norms each) per stage.
        List<Integer> expected = List.of(64);
        for (int width : new int[] {64, 128, 256, 512}) {
            expected = concat(expected, repeat(4, width));
        }
        assertEquals(expected, body.channels);
        assertEquals(List.of(128, 256, 512), shortcut.channels);
    }

    @Test
    void resnet164HasOneProjectionPerStage() {
        TestNorms.Recording body = new TestNorms.Recording(TestNorms.bn());
        TestNorms.Recording shortcut = new TestNorms.Recording(TestNorms.bn());
        Models.build(Models.parse("resnet164", 100, 3), body, shortcut);
        assertEquals(1 + 3 * 18 * 3, body.channels.size());
        assertEquals(16 + 18 * 6 * (16 + 32 + 64), body.channels.stream().mapToInt(Integer::intValue).sum());
        // Including 16 -> 64 at the first unit, where only the channels change.
        assertEquals(List.of(64, 128, 256), shortcut.channels);
    }

    @Test
    void optionANeedsNoShortcutNormsAndOptionBTwo() {
        TestNorms.Recording shortcutA = new TestNorms.Recording(TestNorms.bn());
        Models.build(Models.parse("resnet20", 10, 3), TestNorms.bn(), shortcutA);
        assertEquals(List.of(), shortcutA.channels);
        TestNorms.Recording shortcutB = new TestNorms.Recording(TestNorms.bn());
        Models.build(new ModelSpec("cifar_resnet", 20, 10, 3, Shortcut.B, null, false), TestNorms.bn(), shortcutB);
        assertEquals(List.of(32, 64), shortcutB.channels);
    }

    @Test
    void shortcutNormsSitInTheShortcuts() {
        // IEBN only in the shortcuts: every gate parameter must live under a shortcut branch.
        try (NDManager manager = NDManager.newBaseManager()) {
            Block net = Models.build(Models.parse("resnet18", 10, 3), TestNorms.bn(), TestNorms.iebn());
            net.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
            int gates = 0;
            for (Pair<String, Parameter> p : net.getParameters()) {
                if (p.getValue().getType() == Parameter.Type.OTHER) {
                    gates++;
                    assertTrue(p.getKey().contains("shortcut"), p.getKey());
                }
            }
            assertEquals(3 * 2, gates);
            assertEquals(11_181_642L + 2 * (128 + 256 + 512), Models.trainableParameters(net));
        }
    }
}

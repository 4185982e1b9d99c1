package org.normlab.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.normlab.models.TestNorms.bn;
import static org.normlab.models.TestNorms.iebn;
import static org.normlab.models.TestNorms.trainable;

import org.junit.jupiter.api.Test;

/**
 * Trainable parameter counts against published numbers: the notebook's ResNet-18 table, the
 * standard 0.27M of CIFAR ResNet-20 (option A), and the IEBN authors' ResNet-164 on CIFAR-100.
 * IEBN adds exactly 2 parameters per channel of every norm it replaces.
 */
class ParameterCountTest {

    @Test
    void resnet18MatchesTheNotebook() {
        ModelSpec spec = Models.parse("resnet18", 10, 3);
        assertEquals(11_181_642L, trainable(spec, bn(), bn(), 32));
        assertEquals(11_191_242L, trainable(spec, iebn(), iebn(), 32));
    }

    @Test
    void cifarResnet20WithOptionA() {
        ModelSpec spec = Models.parse("resnet20", 10, 3);
        assertEquals(269_722L, trainable(spec, bn(), bn(), 32));
        assertEquals(271_098L, trainable(spec, iebn(), iebn(), 32));
    }

    @Test
    void resnet164MatchesTheIebnAuthors() {
        ModelSpec spec = Models.parse("resnet164", 100, 3);
        assertEquals(1_727_284L, trainable(spec, bn(), bn(), 32));
        // IEBN in the body and stem, plain BN in the shortcuts: +24,224 as published.
        assertEquals(1_751_508L, trainable(spec, iebn(), bn(), 32));
    }

    @Test
    void optionBAddsOneByOneProjectionsAndTheirNorms() {
        // resnet20, B: shortcuts 16->32 and 32->64: 16*32 + 32*64 weights + 2*(32 + 64) BN.
        ModelSpec spec = new ModelSpec("cifar_resnet", 20, 10, 3, Shortcut.B, null, false);
        assertEquals(269_722L + 16 * 32 + 32 * 64 + 2 * (32 + 64), trainable(spec, bn(), bn(), 32));
    }
}

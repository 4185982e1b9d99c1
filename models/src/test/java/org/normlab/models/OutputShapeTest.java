package org.normlab.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every family and option runs end to end on inputs of several sizes and channel counts. */
class OutputShapeTest {

    /** Runs a training and an eval forward pass and checks both give (batch, classes). */
    private static void assertLogits(ModelSpec spec, int batch, int hw) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block net = Models.build(spec, TestNorms.iebn(), TestNorms.bn());
            Shape in = new Shape(batch, spec.inChannels(), hw, hw);
            net.initialize(manager, DataType.FLOAT32, in);
            assertEquals(new Shape(batch, spec.classes()), net.getOutputShapes(new Shape[] {in})[0], spec.name());
            ParameterStore store = new ParameterStore(manager, false);
            for (boolean training : List.of(true, false)) {
                NDArray x = manager.randomNormal(in);
                NDArray y = net.forward(store, new NDList(x), training).singletonOrThrow();
                assertEquals(new Shape(batch, spec.classes()), y.getShape(), spec.name() + " training=" + training);
                assertTrue(y.isInfinite().logicalOr(y.isNaN()).none().getBoolean(), spec.name());
            }
        }
    }

    @Test
    void resnet20TakesFashionMnist() {
        assertLogits(Models.parse("resnet20", 10, 1), 2, 28);
    }

    @Test
    void resnet18TakesTheNotebooksUpscaledCifar() {
        assertLogits(Models.parse("resnet18", 10, 3), 2, 128);
    }

    @Test
    void resnet18WithCifarStemOnSmallImages() {
        assertLogits(new ModelSpec("resnet", 18, 100, 3, null, null, true), 2, 32);
    }

    @Test
    void resnet34WithOptionAShortcuts() {
        assertLogits(new ModelSpec("resnet", 34, 5, 3, Shortcut.A, null, false), 2, 64);
    }

    @Test
    void resnet50OnOneChannel() {
        assertLogits(Models.parse("resnet50", 7, 1), 2, 64);
    }

    @Test
    void cifarVariantsOnOddSizes() {
        // Odd sizes: the option-A subsample and the stride-2 convolutions must agree (ceil).
        assertLogits(Models.parse("resnet8", 3, 3), 2, 33);
        assertLogits(new ModelSpec("cifar_resnet", 14, 10, 3, Shortcut.B, null, false), 2, 33);
        assertLogits(new ModelSpec("cifar_resnet", 11, 100, 3, null, "bottleneck", false), 2, 32);
    }

    @Test
    void wrongInputChannelsFailWithTheExpectedShape() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block net = Models.build(Models.parse("resnet20", 10, 1), TestNorms.bn(), TestNorms.bn());
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> net.initialize(manager, DataType.FLOAT32, new Shape(2, 3, 32, 32)));
            assertTrue(e.getMessage().contains("(N, 1, H, W)"), e.getMessage());
        }
    }
}

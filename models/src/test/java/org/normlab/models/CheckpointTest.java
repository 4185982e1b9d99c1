package org.normlab.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** A trained network's parameters load into a freshly built one and give the same outputs. */
class CheckpointTest {

    @Test
    void parametersRoundTripThroughSaveAndLoad() throws IOException, MalformedModelException {
        ModelSpec spec = Models.parse("resnet8", 10, 1);
        try (NDManager manager = NDManager.newBaseManager()) {
            Shape in = new Shape(4, 1, 12, 12);
            Block trained = Models.build(spec, TestNorms.iebn(), TestNorms.iebn());
            trained.initialize(manager, DataType.FLOAT32, in);
            ParameterStore store = new ParameterStore(manager, false);
            // One training pass moves the running statistics away from their initial values.
            trained.forward(store, new NDList(manager.randomNormal(in).add(3)), true);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            trained.saveParameters(new DataOutputStream(bytes));

            Block restored = Models.build(spec, TestNorms.iebn(), TestNorms.iebn());
            restored.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            NDArray x = manager.randomNormal(in);
            float[] expected = trained.forward(store, new NDList(x), false).singletonOrThrow().toFloatArray();
            float[] actual = restored.forward(store, new NDList(x), false).singletonOrThrow().toFloatArray();
            assertArrayEquals(expected, actual, 1e-6f);
        }
    }
}

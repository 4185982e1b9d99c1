package org.normlab.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.normlab.models.Models;
import org.normlab.norm.NormFactory;
import org.normlab.norm.NormRegistry;

/** iebn with gate: fixed trains like iebn except its gate: SGD with weight decay leaves w = 0, b = -1. */
class FixedGateTrainingTest {

    @Test
    void sgdWithWeightDecayLeavesTheFixedGateAtItsInitialValue() {
        NormFactory factory = NormRegistry.load().factory("iebn", Map.of("gate", "fixed"));
        Block model = Models.build(Models.parse("resnet20", 10, 1), factory, factory);
        Engine.getInstance().setRandomSeed(5);
        Shape shape = new Shape(8, 1, 12, 12);
        try (NDManager manager = NDManager.newBaseManager()) {
            model.initialize(manager, DataType.FLOAT32, shape);
            List<Parameter> gates = parameters(model, "Readjust");
            List<Parameter> gammas = parameters(model, "gamma");
            assertEquals(gammas.size() * 2, gates.size()); // a w and a b per iebn layer
            float[] gammaBefore = gammas.get(0).getArray().toFloatArray();
            NDArray x = manager.randomNormal(shape);
            NDArray y = manager.arange(8f);
            try (TrainStep step = new TrainStep(model, manager, new CrossEntropy(0), 0.9, 0.05, false)) {
                for (int i = 0; i < 3; i++) {
                    step.step(x, y, 0.1f);
                }
            }
            for (Parameter gate : gates) {
                float expected = gate.getName().startsWith("weight") ? 0f : -1f;
                float[] values = gate.getArray().toFloatArray();
                float[] initial = new float[values.length];
                Arrays.fill(initial, expected);
                assertArrayEquals(initial, values, gate.getName());
            }
            // the rest trains: the first gamma moved
            assertFalse(Arrays.equals(gammaBefore, gammas.get(0).getArray().toFloatArray()));
            // and the frozen gate is not counted as trainable: 2 x channels fewer per layer than iebn
            long gateValues = gates.stream().mapToLong(p -> p.getArray().size()).sum();
            NormFactory adaptive = NormRegistry.load().factory("iebn", Map.of());
            Block twin = Models.build(Models.parse("resnet20", 10, 1), adaptive, adaptive);
            twin.initialize(manager, DataType.FLOAT32, shape);
            assertEquals(Models.trainableParameters(twin) - gateValues, Models.trainableParameters(model));
        }
    }

    private static List<Parameter> parameters(Block model, String nameContains) {
        return model.getParameters().stream().map(Pair::getValue).filter(p -> p.getName().contains(nameContains)).toList();
    }
}

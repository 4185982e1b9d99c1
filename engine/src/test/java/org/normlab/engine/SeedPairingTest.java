package org.normlab.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Convolution;
import ai.djl.nn.core.Linear;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.normlab.models.Models;
import org.normlab.norm.NormFactory;
import org.normlab.norm.NormRegistry;

/**
 * What the report's paired-by-seed differences rest on: with the same seed (TrialRunner seeds the
 * engine, then builds and initializes the model), the noise study's norms start from the same
 * convolution and classifier weights, because every norm's parameters start at constants and draw
 * nothing. (The data order depends on the data settings and the seed only: DataFactory.load.)
 */
class SeedPairingTest {

    @Test
    void theSameSeedGivesEveryNormTheSameConvolutionAndClassifierWeights() {
        NormRegistry registry = NormRegistry.load();
        List<Map.Entry<String, Map<String, Object>>> norms = List.of(Map.entry("bn", Map.of()), Map.entry("iebn", Map.of()),
                Map.entry("iebn", Map.of("gate", "fixed")), Map.entry("gn", Map.of("groups", 8)));
        List<List<float[]>> weights = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            for (Map.Entry<String, Map<String, Object>> norm : norms) {
                weights.add(initialWeights(registry.factory(norm.getKey(), norm.getValue()), manager, 11));
            }
            List<float[]> otherSeed = initialWeights(registry.factory("bn", Map.of()), manager, 12);
            assertEquals(4, weights.size());
            assertEquals(9, weights.get(0).size(), "ResNet-8: stem, 6 block convolutions, classifier weight and bias");
            for (int n = 1; n < weights.size(); n++) {
                for (int i = 0; i < weights.get(0).size(); i++) {
                    assertArrayEquals(weights.get(0).get(i), weights.get(n).get(i), norms.get(n) + ", tensor " + i);
                }
            }
            assertFalse(Arrays.equals(weights.get(0).get(0), otherSeed.get(0)), "another seed, other weights");
        }
    }

    private static List<float[]> initialWeights(NormFactory factory, NDManager manager, int seed) {
        Block model = Models.build(Models.parse("cifar_resnet8", 10, 1), factory, factory);
        Engine.getInstance().setRandomSeed(seed);
        model.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 16, 16));
        List<float[]> weights = new ArrayList<>();
        collect(model, weights);
        return weights;
    }

    private static void collect(Block block, List<float[]> out) {
        if (block instanceof Convolution || block instanceof Linear) {
            for (Pair<String, Parameter> p : block.getParameters()) {
                out.add(p.getValue().getArray().toFloatArray());
            }
            return;
        }
        block.getChildren().values().forEach(child -> collect(child, out));
    }
}

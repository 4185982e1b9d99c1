package org.normlab.instruments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.normlab.instruments.TestNets.assertRelative;
import static org.normlab.instruments.TestNets.doubles;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.normlab.norm.AbstractBatchNormBlock;
import org.normlab.norm.Standardizer;

/** Eval with batch statistics: the batch's own normalization, running statistics untouched. */
class BatchStatisticsTest {

    private static final Shape SHAPE = new Shape(3, 2, 2, 3);
    private static final float EPS = 1e-5f;

    @Test
    void aBnLayerNormalizesWithTheBatchAndKeepsItsRunningStatistics() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block layer = TestNets.layer(manager, "bn", Map.of(), SHAPE);
            TestNets.set(layer, "gamma", 1.5f, 0.5f);
            TestNets.set(layer, "beta", -0.25f, 2f);
            TestNets.set(layer, "runningMean", 3f, -1f);
            TestNets.set(layer, "runningVar", 4f, 0.25f);
            AbstractBatchNormBlock bn = (AbstractBatchNormBlock) layer;
            Standardizer step = bn.getStandardizer();
            float[] x = TestNets.fixedBatch(SHAPE);
            ParameterStore store = new ParameterStore(manager, false);
            NDArray y;
            try (BatchStatistics batch = BatchStatistics.install(layer)) {
                assertEquals(1, batch.layers().size());
                y = layer.forward(store, new NDList(manager.create(x, SHAPE)), false).singletonOrThrow();
            }
            assertRelative(normalized(x, TestNets.moments(x, SHAPE, false), new double[] {1.5, 0.5}, new double[] {-0.25, 2}),
                    doubles(y), 1e-5, 1, "y");
            assertArrayEquals(new float[] {3f, -1f}, bn.storedRunningStats().mean().toFloatArray());
            assertArrayEquals(new float[] {4f, 0.25f}, bn.storedRunningStats().var().toFloatArray());
            assertSame(step, bn.getStandardizer());
            // and afterwards eval is back on the running statistics
            NDArray yEval = layer.forward(store, new NDList(manager.create(x, SHAPE)), false).singletonOrThrow();
            double[][] running = {{3, -1}, {4, 0.25}};
            assertRelative(normalized(x, running, new double[] {1.5, 0.5}, new double[] {-0.25, 2}), doubles(yEval), 1e-5, 1, "eval y");
        }
    }

    @Test
    void aNetworkGivesItsTrainModeOutputWithoutTheAttackAndWithoutUpdates() {
        Shape input = new Shape(4, 3, 6, 6);
        Map<String, Object> attack = Map.of("inner", "iebn", "a", 2.0, "b", 1.0, "eval", true);
        try (NDManager manager = NDManager.newBaseManager()) {
            SequentialBlock net = TestNets.net(manager, "constant", attack, input);
            List<NormLayer> layers = NormLayers.find(net);
            NDArray x = TestNets.batches(manager, input, 1, 3).get(0);
            ParameterStore store = new ParameterStore(manager, false);
            float[][] before = runningStats(layers);
            double[] batchEval;
            try (BatchStatistics batch = BatchStatistics.install(net)) {
                batchEval = doubles(net.forward(store, new NDList(x), false).singletonOrThrow());
            }
            for (int i = 0; i < layers.size(); i++) {
                assertArrayEquals(before[2 * i], layers.get(i).block().storedRunningStats().mean().toFloatArray());
                assertArrayEquals(before[2 * i + 1], layers.get(i).block().storedRunningStats().var().toFloatArray());
            }
            double[] attacked = doubles(net.forward(store, new NDList(x), true).singletonOrThrow());
            List<Standardizer> steps = layers.stream().map(l -> l.block().getStandardizer()).toList();
            layers.forEach(l -> l.block().setStandardizer(Standardizer.BATCH));
            double[] clean = doubles(net.forward(store, new NDList(x), true).singletonOrThrow());
            for (int i = 0; i < layers.size(); i++) {
                layers.get(i).block().setStandardizer(steps.get(i));
            }
            assertRelative(clean, batchEval, 1e-5, 1, "batch eval vs clean train-mode forward");
            double diff = 0;
            for (int i = 0; i < clean.length; i++) {
                diff = Math.max(diff, Math.abs(clean[i] - attacked[i]));
            }
            assertTrue(diff > 0.1, "the attack made no difference, so the test proves nothing: " + diff);
        }
    }

    private static float[][] runningStats(List<NormLayer> layers) {
        float[][] values = new float[2 * layers.size()][];
        for (int i = 0; i < layers.size(); i++) {
            values[2 * i] = layers.get(i).block().storedRunningStats().mean().toFloatArray();
            values[2 * i + 1] = layers.get(i).block().storedRunningStats().var().toFloatArray();
        }
        return values;
    }

    /** (x - mean) / sqrt(var + eps) * gamma + beta per channel, in float64. */
    private static double[] normalized(float[] x, double[][] meanVar, double[] gamma, double[] beta) {
        int c = (int) SHAPE.get(1);
        int perChannel = (int) (SHAPE.size() / (SHAPE.get(0) * c));
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            int ch = (i / perChannel) % c;
            y[i] = (x[i] - meanVar[0][ch]) / Math.sqrt(meanVar[1][ch] + EPS) * gamma[ch] + beta[ch];
        }
        return y;
    }
}

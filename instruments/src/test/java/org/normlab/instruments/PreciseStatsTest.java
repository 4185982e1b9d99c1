package org.normlab.instruments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.normlab.instruments.TestNets.assertRelative;
import static org.normlab.instruments.TestNets.doubles;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.normlab.norm.AbstractBatchNormBlock;
import org.normlab.norm.BatchNormOptions;
import org.normlab.norm.NormOptions;
import org.normlab.norm.RunningStats;
import org.normlab.norm.Standardizer;

/**
 * PreciseBN against the mean over batches of each batch's mean and unbiased variance, computed
 * in float64 loops over the same inputs (for a deep layer, over its input as the net's prefix
 * computes it in training mode).
 */
class PreciseStatsTest {

    private static final Shape SHAPE = new Shape(4, 3, 5, 5);
    private static final double REL = 1e-5;

    @Test
    void aSingleBnLayerGetsTheAverageOfItsBatchMoments() {
        assertSingleLayer("bn");
    }

    @Test
    void aSingleIebnLayerGetsTheAverageOfItsBatchMoments() {
        assertSingleLayer("iebn");
    }

    private static void assertSingleLayer(String norm) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block layer = TestNets.layer(manager, norm, Map.of(), SHAPE);
            List<NDArray> batches = TestNets.batches(manager, SHAPE, 5, 7);
            List<float[]> inputs = batches.stream().map(NDArray::toFloatArray).toList();
            double[][] expected = TestNets.averageOfBatchMoments(inputs, SHAPE);
            RunningStats stats = ((AbstractBatchNormBlock) layer).storedRunningStats();
            try (PreciseStats precise = PreciseStats.install(layer, new ParameterStore(manager, false), lists(batches))) {
                assertEquals(5, precise.batches());
                assertEquals(1, precise.layers().size());
                assertRelative(expected[0], doubles(stats.mean()), REL, 0, norm + " mean");
                assertRelative(expected[1], doubles(stats.var()), REL, 0, norm + " var");
            }
        }
    }

    @Test
    void aGhostLayerIsAveragedOverTheWholeBatchesHandedIn() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block layer = TestNets.layer(manager, "ghost", Map.of("inner", "bn", "size", 2), SHAPE);
            List<NDArray> batches = TestNets.batches(manager, SHAPE, 3, 31);
            double[][] expected = TestNets.averageOfBatchMoments(batches.stream().map(NDArray::toFloatArray).toList(), SHAPE);
            RunningStats stats = ((AbstractBatchNormBlock) layer).storedRunningStats();
            try (PreciseStats precise = PreciseStats.install(layer, new ParameterStore(manager, false), lists(batches))) {
                assertRelative(expected[0], doubles(stats.mean()), REL, 0, "ghost mean");
                assertRelative(expected[1], doubles(stats.var()), REL, 0, "ghost var");
            }
        }
    }

    @Test
    void aLayerDeepInANetworkGetsTheAverageOverItsOwnInputs() {
        Shape input = new Shape(4, 3, 6, 6);
        try (NDManager manager = NDManager.newBaseManager()) {
            SequentialBlock net = TestNets.net(manager, "bn", Map.of(), input);
            List<NDArray> batches = TestNets.batches(manager, input, 4, 11);
            List<float[]> first = new ArrayList<>();
            List<float[]> second = new ArrayList<>();
            Shape secondShape = null;
            for (NDArray x : batches) {
                first.add(TestNets.prefix(net, x, 1).toFloatArray());
                NDArray deep = TestNets.prefix(net, x, 4);
                secondShape = deep.getShape();
                second.add(deep.toFloatArray());
            }
            double[][] expectedFirst = TestNets.averageOfBatchMoments(first, new Shape(4, 16, 6, 6));
            double[][] expectedSecond = TestNets.averageOfBatchMoments(second, secondShape);
            List<NormLayer> layers = NormLayers.find(net);
            assertEquals(2, layers.size());
            try (PreciseStats precise = PreciseStats.install(net, new ParameterStore(manager, false), lists(batches))) {
                RunningStats deep = layers.get(1).block().storedRunningStats();
                assertRelative(expectedFirst[0], doubles(layers.get(0).block().storedRunningStats().mean()), REL, 0, "layer 0 mean");
                assertRelative(expectedFirst[1], doubles(layers.get(0).block().storedRunningStats().var()), REL, 0, "layer 0 var");
                // the deep layer's input after relu and a random conv: means near 0 happen, so relative to the spread
                double floor = Math.sqrt(max(expectedSecond[1]));
                assertRelative(expectedSecond[0], doubles(deep.mean()), REL, floor, "layer 1 mean");
                assertRelative(expectedSecond[1], doubles(deep.var()), REL, 0, "layer 1 var");
            }
        }
    }

    @Test
    void underAConstantAttackTheStatisticsAreThoseOfTheAttackedNetwork() {
        Shape input = new Shape(4, 3, 6, 6);
        Map<String, Object> attack = Map.of("inner", "bn", "a", 2.0, "b", 1.0);
        try (NDManager manager = NDManager.newBaseManager()) {
            SequentialBlock net = TestNets.net(manager, "constant", attack, input);
            List<NormLayer> layers = NormLayers.find(net);
            List<NDArray> batches = TestNets.batches(manager, input, 3, 13);
            List<float[]> attacked = new ArrayList<>();
            List<float[]> clean = new ArrayList<>();
            Shape deepShape = null;
            Standardizer attackStep = layers.get(0).block().getStandardizer();
            for (NDArray x : batches) {
                NDArray deep = TestNets.prefix(net, x, 4);
                deepShape = deep.getShape();
                attacked.add(deep.toFloatArray());
                layers.get(0).block().setStandardizer(Standardizer.BATCH);
                clean.add(TestNets.prefix(net, x, 4).toFloatArray());
                layers.get(0).block().setStandardizer(attackStep);
            }
            double[][] expected = TestNets.averageOfBatchMoments(attacked, deepShape);
            double[][] cleanMoments = TestNets.averageOfBatchMoments(clean, deepShape);
            try (PreciseStats precise = PreciseStats.install(net, new ParameterStore(manager, false), lists(batches))) {
                double[] var = doubles(layers.get(1).block().storedRunningStats().var());
                assertRelative(expected[1], var, REL, 0, "attacked layer 1 var");
                // not vacuous: the attack changes what the deep layer sees
                assertTrue(Math.abs(var[0] - cleanMoments[1][0]) > 0.05 * cleanMoments[1][0],
                        "clean " + cleanMoments[1][0] + " vs attacked " + var[0]);
            }
        }
    }

    @Test
    void closingRestoresTheEmaExactlyAndLeavesMomentumAndStepsAlone() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block layer = TestNets.layer(manager, "bn", Map.of("momentum", 0.25), SHAPE);
            AbstractBatchNormBlock bn = (AbstractBatchNormBlock) layer;
            ParameterStore store = new ParameterStore(manager, false);
            // an EMA away from its initial values
            for (NDArray x : TestNets.batches(manager, SHAPE, 3, 17)) {
                layer.forward(store, new NDList(x), true);
            }
            float[] emaMean = bn.storedRunningStats().mean().toFloatArray();
            float[] emaVar = bn.storedRunningStats().var().toFloatArray();
            Standardizer step = bn.getStandardizer();
            List<NDArray> batches = TestNets.batches(manager, SHAPE, 4, 19);
            float[] preciseMean;
            try (PreciseStats precise = PreciseStats.install(layer, store, lists(batches))) {
                preciseMean = bn.storedRunningStats().mean().toFloatArray();
                assertArrayEquals(emaMean, precise.ema().mean(0));
                assertArrayEquals(preciseMean, precise.precise().mean(0));
                assertTrue(Math.abs(preciseMean[0] - emaMean[0]) > 0.1, "precise equals the EMA: the test proves nothing");
                precise.restoreEma();
                assertArrayEquals(emaMean, bn.storedRunningStats().mean().toFloatArray());
                precise.precise().restore();
                assertArrayEquals(preciseMean, bn.storedRunningStats().mean().toFloatArray());
            }
            assertArrayEquals(emaMean, bn.storedRunningStats().mean().toFloatArray());
            assertArrayEquals(emaVar, bn.storedRunningStats().var().toFloatArray());
            assertSame(step, bn.getStandardizer());
            // momentum untouched: one more training batch moves the EMA by exactly 0.25 of the way
            NDArray x = TestNets.batches(manager, SHAPE, 1, 23).get(0);
            double[][] m = TestNets.moments(x.toFloatArray(), SHAPE, true);
            layer.forward(store, new NDList(x), true);
            double[] wantMean = new double[3];
            double[] wantVar = new double[3];
            for (int c = 0; c < 3; c++) {
                wantMean[c] = 0.75 * emaMean[c] + 0.25 * m[0][c];
                wantVar[c] = 0.75 * emaVar[c] + 0.25 * m[1][c];
            }
            assertRelative(wantMean, doubles(bn.storedRunningStats().mean()), REL, 0, "mean after one more step");
            assertRelative(wantVar, doubles(bn.storedRunningStats().var()), REL, 0, "var after one more step");
        }
    }

    @Test
    void noBatchIsAClearError() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block layer = TestNets.layer(manager, "bn", Map.of(), SHAPE);
            float[] before = ((AbstractBatchNormBlock) layer).storedRunningStats().mean().toFloatArray();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> PreciseStats.install(layer, new ParameterStore(manager, false), List.<NDList>of().iterator()));
            assertTrue(e.getMessage().contains("at least one batch"), e.getMessage());
            assertArrayEquals(before, ((AbstractBatchNormBlock) layer).storedRunningStats().mean().toFloatArray());
        }
    }

    @Test
    void aModelWithoutRunningStatisticsIsLeftAlone() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block linear = Linear.builder().setUnits(2).build();
            linear.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(4, 3));
            int[] forwards = {0};
            Iterator<NDList> counting = new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return forwards[0] < 2;
                }

                @Override
                public NDList next() {
                    forwards[0]++;
                    return new NDList(manager.ones(new Shape(4, 3)));
                }
            };
            try (PreciseStats precise = PreciseStats.install(linear, new ParameterStore(manager, false), counting)) {
                assertTrue(precise.layers().isEmpty());
                assertEquals(0, precise.batches());
                assertEquals(0, forwards[0], "no forward pass is needed");
            }
        }
    }

    @Test
    void aLayerThatBypassesItsStepIsReportedNotSilentlyWrong() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block layer = new AlwaysFused(REGISTRY_OPTIONS());
            layer.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, SHAPE);
            float[] before = ((AbstractBatchNormBlock) layer).storedRunningStats().mean().toFloatArray();
            List<NDArray> batches = TestNets.batches(manager, SHAPE, 2, 29);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> PreciseStats.install(layer, new ParameterStore(manager, false), lists(batches)));
            assertTrue(e.getMessage().contains("AlwaysFused") && e.getMessage().contains("standardize()"), e.getMessage());
            assertArrayEquals(before, ((AbstractBatchNormBlock) layer).storedRunningStats().mean().toFloatArray(),
                    "the trained statistics are put back");
        }
    }

    private static NormOptions REGISTRY_OPTIONS() {
        return TestNets.REGISTRY.validate("bn", Map.of());
    }

    /** A norm that ignores its step: the engine's batch norm, always. */
    static final class AlwaysFused extends AbstractBatchNormBlock {
        AlwaysFused(NormOptions options) {
            super((byte) 1, options);
        }

        @Override
        protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
            NDArray x = inputs.singletonOrThrow();
            NDArray ones = x.getManager().ones(new Shape(channels));
            NDArray zeros = x.getManager().zeros(new Shape(channels));
            return new NDList(RunningStats.fusedBatchNorm(x, runningStats(store, x, training), ones, zeros, training));
        }
    }

    static Iterator<NDList> lists(List<NDArray> batches) {
        return batches.stream().map(NDList::new).iterator();
    }

    private static double max(double[] values) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            m = Math.max(m, v);
        }
        return m;
    }
}

package org.normlab.instruments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.normlab.instruments.TestNets.assertRelative;
import static org.normlab.instruments.TestNets.doubles;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.normlab.norm.AbstractBatchNormBlock;
import org.normlab.norm.RunningStatistic;
import org.normlab.norm.RunningStats;

/**
 * The instruments use a norm's own batch-normalized step and only the running statistics that
 * step keeps: mean-only BN ({@code test-mobn}) and a step that uses no statistics ({@code
 * test-tanh}), with the values plain BN's step would give shown to differ.
 */
class OwnStepTest {

    private static final Shape SHAPE = new Shape(3, 2, 2, 3);
    private static final float[] RUN_MEAN = {3f, -1f};
    private static final float[] RUN_VAR = {4f, 0.25f};
    private static final float[] BETA = {-0.25f, 2f};

    @Test
    void theLayersSayWhichStatisticsTheirOwnStepsKeep() {
        try (NDManager manager = NDManager.newBaseManager()) {
            assertEquals(Set.of(RunningStatistic.MEAN), kept(manager, "test-mobn", Map.of()));
            assertEquals(Set.of(), kept(manager, "test-tanh", Map.of()));
            assertEquals(Set.of(RunningStatistic.MEAN, RunningStatistic.VARIANCE), kept(manager, "bn", Map.of()));
            // an attack is looked through: the norm's own step decides
            assertEquals(Set.of(RunningStatistic.MEAN), kept(manager, "constant", Map.of("inner", "test-mobn")));
        }
    }

    @Test
    void batchEvalOfMeanOnlyBnSubtractsTheBatchMeanWithoutDividingOrWriting() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block layer = layer(manager, "test-mobn", Map.of());
            float[] x = TestNets.fixedBatch(SHAPE);
            double[] y = batchEval(manager, layer, x);
            double[] expected = centred(x, TestNets.moments(x, SHAPE, false)[0], false);
            assertRelative(expected, y, 1e-5, 1, "mean-only batch eval");
            assertTrue(maxDiff(expected, centred(x, TestNets.moments(x, SHAPE, false)[0], true)) > 0.1,
                    "plain BN's step would give the same values, so the test proves nothing");
            assertUntouched(layer);
        }
    }

    @Test
    void batchEvalUnderAnAttackUsesTheWrappedNormsOwnStepClean() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block layer = layer(manager, "constant", Map.of("inner", "test-mobn", "a", 2.0, "b", 1.0, "eval", true));
            float[] x = TestNets.fixedBatch(SHAPE);
            double[] attackedEval = doubles(layer.forward(new ParameterStore(manager, false),
                    new NDList(manager.create(x, SHAPE)), false).singletonOrThrow());
            double[] cleanEval = centred(x, new double[] {RUN_MEAN[0], RUN_MEAN[1]}, false);
            assertTrue(maxDiff(cleanEval, attackedEval) > 0.1, "the attack is active in eval");
            double[] y = batchEval(manager, layer, x);
            assertRelative(centred(x, TestNets.moments(x, SHAPE, false)[0], false), y, 1e-5, 1, "attacked mean-only batch eval");
            assertUntouched(layer);
        }
    }

    @Test
    void batchEvalOfAStepWithoutStatisticsEqualsItsEval() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block layer = layer(manager, "test-tanh", Map.of());
            float[] x = TestNets.fixedBatch(SHAPE);
            float[] eval = layer.forward(new ParameterStore(manager, false), new NDList(manager.create(x, SHAPE)), false)
                    .singletonOrThrow().toFloatArray();
            double[] y = batchEval(manager, layer, x);
            double[] expected = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                expected[i] = Math.tanh(x[i]) + BETA[channel(i)];
            }
            assertRelative(expected, y, 1e-6, 1, "tanh batch eval");
            assertArrayEquals(doubles(eval), y, 0.0, "batch eval equals eval");
            assertUntouched(layer);
        }
    }

    @Test
    void preciseRecomputesOnlyTheMeanOfMeanOnlyBn() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block layer = layer(manager, "test-mobn", Map.of());
            List<NDArray> batches = TestNets.batches(manager, SHAPE, 4, 11);
            double[][] expected = TestNets.averageOfBatchMoments(batches.stream().map(NDArray::toFloatArray).toList(), SHAPE);
            RunningStats stats = ((AbstractBatchNormBlock) layer).storedRunningStats();
            try (PreciseStats precise = PreciseStats.install(layer, new ParameterStore(manager, false), PreciseStatsTest.lists(batches))) {
                assertEquals(4, precise.batches());
                assertRelative(expected[0], doubles(stats.mean()), 1e-5, 0, "precise mean");
                assertArrayEquals(RUN_VAR, stats.var().toFloatArray(), "the variance the step never updates");
            }
            assertUntouched(layer);
        }
    }

    @Test
    void preciseLeavesAStepWithoutStatisticsAlone() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block layer = layer(manager, "test-tanh", Map.of());
            List<NDArray> batches = TestNets.batches(manager, SHAPE, 2, 5);
            try (PreciseStats precise = PreciseStats.install(layer, new ParameterStore(manager, false), PreciseStatsTest.lists(batches))) {
                assertEquals(1, precise.layers().size());
                assertUntouched(layer);
            }
        }
    }

    @Test
    void layersCsvValuesAreEmptyWhereTheStepKeepsNoRunningVariance() {
        try (NDManager manager = NDManager.newBaseManager()) {
            for (String norm : List.of("test-mobn", "test-tanh")) {
                Block layer = layer(manager, norm, Map.of());
                LayerSample sample = sampleTrainingStep(manager, layer, TestNets.fixedBatch(SHAPE));
                assertEquals(2, sample.channels());
                assertTrue(Double.isNaN(sample.meanDev()), norm + " mean_dev: " + sample.meanDev());
                assertTrue(Double.isNaN(sample.stdLogRatio()), norm + " std_logratio: " + sample.stdLogRatio());
            }
            // the same sample from plain BN has both values
            LayerSample bn = sampleTrainingStep(manager, layer(manager, "bn", Map.of()), TestNets.fixedBatch(SHAPE));
            assertTrue(bn.meanDev() > 0.5 && bn.stdLogRatio() > 0.1, bn.toString());
        }
    }

    @Test
    void aMeanOnlyNormWithoutRunningVarianceGetsEveryInstrument() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block layer = TestNets.layer(manager, "test-mobn-novar", Map.of(), SHAPE);
            TestNets.set(layer, "runningMean", RUN_MEAN);
            TestNets.set(layer, "beta", BETA);
            AbstractBatchNormBlock block = (AbstractBatchNormBlock) layer;
            assertEquals(null, block.storedRunningStats().var());
            assertEquals(Set.of(RunningStatistic.MEAN), NormLayers.find(layer).get(0).kept());
            float[] x = TestNets.fixedBatch(SHAPE);
            assertRelative(centred(x, TestNets.moments(x, SHAPE, false)[0], false), batchEval(manager, layer, x), 1e-5, 1,
                    "batch eval without a running variance");
            assertArrayEquals(RUN_MEAN, block.storedRunningStats().mean().toFloatArray());

            List<NDArray> batches = TestNets.batches(manager, SHAPE, 3, 17);
            double[][] expected = TestNets.averageOfBatchMoments(batches.stream().map(NDArray::toFloatArray).toList(), SHAPE);
            try (PreciseStats precise = PreciseStats.install(layer, new ParameterStore(manager, false), PreciseStatsTest.lists(batches))) {
                assertRelative(expected[0], doubles(block.storedRunningStats().mean()), 1e-5, 0, "precise mean");
                assertEquals(null, precise.ema().var(0));
                assertArrayEquals(RUN_MEAN, precise.ema().mean(0));
            }
            assertArrayEquals(RUN_MEAN, block.storedRunningStats().mean().toFloatArray(), "the EMA mean is put back");

            LayerSample sample = sampleTrainingStep(manager, layer, x);
            assertTrue(Double.isNaN(sample.meanDev()) && Double.isNaN(sample.stdLogRatio()), sample.toString());
        }
    }

    private static Set<RunningStatistic> kept(NDManager manager, String norm, Map<String, ?> options) {
        List<NormLayer> layers = NormLayers.find(TestNets.layer(manager, norm, options, SHAPE));
        assertEquals(1, layers.size());
        return layers.get(0).kept();
    }

    /** A layer with running mean RUN_MEAN, running variance RUN_VAR and (test norms) beta BETA. */
    private static Block layer(NDManager manager, String norm, Map<String, ?> options) {
        Block layer = TestNets.layer(manager, norm, options, SHAPE);
        TestNets.set(layer, "runningMean", RUN_MEAN);
        TestNets.set(layer, "runningVar", RUN_VAR);
        if (!norm.equals("bn")) {
            TestNets.set(layer, "beta", BETA);
        }
        return layer;
    }

    private static double[] batchEval(NDManager manager, Block layer, float[] x) {
        try (BatchStatistics batch = BatchStatistics.install(layer)) {
            assertEquals(1, batch.layers().size());
            return doubles(layer.forward(new ParameterStore(manager, false), new NDList(manager.create(x, SHAPE)), false)
                    .singletonOrThrow());
        }
    }

    private static LayerSample sampleTrainingStep(NDManager manager, Block layer, float[] x) {
        try (LayerProbes probes = LayerProbes.arm(NormLayers.find(layer), 0)) {
            layer.forward(new ParameterStore(manager, false), new NDList(manager.create(x, SHAPE)), true);
            List<LayerSample> samples = probes.samples();
            assertEquals(1, samples.size());
            return samples.get(0);
        }
    }

    private static void assertUntouched(Block layer) {
        RunningStats stats = ((AbstractBatchNormBlock) layer).storedRunningStats();
        assertArrayEquals(RUN_MEAN, stats.mean().toFloatArray(), "running mean");
        assertArrayEquals(RUN_VAR, stats.var().toFloatArray(), "running variance");
    }

    /** x - mean + beta per channel, in float64; divided by the biased batch std first when asBn (plain BN's step). */
    private static double[] centred(float[] x, double[] mean, boolean asBn) {
        double[] var = TestNets.moments(x, SHAPE, false)[1];
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            int c = channel(i);
            double centred = x[i] - mean[c];
            y[i] = (asBn ? centred / Math.sqrt(var[c] + 1e-5) : centred) + BETA[c];
        }
        return y;
    }

    private static int channel(int i) {
        int perChannel = (int) (SHAPE.size() / (SHAPE.get(0) * SHAPE.get(1)));
        return (int) ((i / perChannel) % SHAPE.get(1));
    }

    private static double maxDiff(double[] a, double[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d = Math.max(d, Math.abs(a[i] - b[i]));
        }
        return d;
    }
}

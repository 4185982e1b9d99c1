package org.normlab.instruments;

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
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.normlab.norm.AbstractBatchNormBlock;
import org.normlab.norm.LayerProbe;
import org.normlab.norm.NormOptions;
import org.normlab.norm.Standardizer;

/** layers.csv's values against float64 hand computations on a fixed small batch. */
class LayerProbesTest {

    private static final Shape SHAPE = new Shape(4, 3, 2, 2);
    private static final double EPS = 1e-5;
    private static final float[] RUN_MEAN = {0.5f, 1f, 2.5f};
    private static final float[] RUN_VAR = {1f, 2f, 0.5f};

    @Test
    void bnMeanDevAndStdLogRatioAgainstTheRunningStatisticsBeforeTheStep() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block layer = layerWithRunningStats(manager, "bn", Map.of(), SHAPE);
            float[] x = TestNets.fixedBatch(SHAPE);
            LayerSample sample = sampleOneStep(manager, layer, x, SHAPE, 0);
            double[][] batch = TestNets.moments(x, SHAPE, false);
            assertEquals(3, sample.channels());
            assertEquals(0, sample.layer().index());
            assertClose(meanDev(batch), sample.meanDev(), "mean_dev");
            assertClose(stdLogRatio(batch), sample.stdLogRatio(), "std_logratio");
            assertTrue(sample.extra().isEmpty(), "bn has no values of its own: " + sample.extra());
            // the step really ran, and updated the statistics the probe compared against
            double[][] unbiased = TestNets.moments(x, SHAPE, true);
            double[] want = new double[3];
            for (int c = 0; c < 3; c++) {
                want[c] = 0.9 * RUN_MEAN[c] + 0.1 * unbiased[0][c];
            }
            assertRelative(want, doubles(((AbstractBatchNormBlock) layer).storedRunningStats().mean()), 1e-5, 0, "mean after");
        }
    }

    @Test
    void iebnGateColumnsAgainstItsFormula() {
        float[] w = {0.8f, -1.2f, 0.3f};
        float[] b = {0.1f, -0.5f, 0.4f};
        try (NDManager manager = NDManager.newBaseManager()) {
            Block layer = layerWithRunningStats(manager, "iebn", Map.of(), SHAPE);
            TestNets.set(layer, "weightReadjust", w);
            TestNets.set(layer, "biasReadjust", b);
            float[] x = TestNets.fixedBatch(SHAPE);
            LayerSample sample = sampleOneStep(manager, layer, x, SHAPE, 0);
            double[][] batch = TestNets.moments(x, SHAPE, false);
            assertClose(meanDev(batch), sample.meanDev(), "mean_dev");
            assertClose(stdLogRatio(batch), sample.stdLogRatio(), "std_logratio");
            // gate[n, c] = sigmoid(w_c * mean_hw(x[n, c]) + b_c)
            double[] gates = new double[12];
            for (int n = 0; n < 4; n++) {
                for (int c = 0; c < 3; c++) {
                    double pooled = 0;
                    for (int j = 0; j < 4; j++) {
                        pooled += x[(n * 3 + c) * 4 + j] / 4.0;
                    }
                    gates[n * 3 + c] = 1 / (1 + Math.exp(-(w[c] * pooled + b[c])));
                }
            }
            double mean = Arrays.stream(gates).average().orElseThrow();
            double std = Math.sqrt(Arrays.stream(gates).map(g -> (g - mean) * (g - mean)).sum() / gates.length);
            assertEquals(List.of("gate_mean", "gate_std", "gate_min", "gate_max"), List.copyOf(sample.extra().keySet()));
            assertClose(mean, sample.extra().get("gate_mean"), "gate_mean");
            assertClose(std, sample.extra().get("gate_std"), "gate_std");
            assertClose(Arrays.stream(gates).min().orElseThrow(), sample.extra().get("gate_min"), "gate_min");
            assertClose(Arrays.stream(gates).max().orElseThrow(), sample.extra().get("gate_max"), "gate_max");
            assertTrue(std > 0.05, "gates too alike to tell a wrong reduction: " + std);
        }
    }

    @Test
    void aGhostWrapperIsMeasuredOverItsVirtualBatches() {
        Shape shape = new Shape(6, 3, 2, 2);
        try (NDManager manager = NDManager.newBaseManager()) {
            Block layer = layerWithRunningStats(manager, "ghost", Map.of("inner", "bn", "size", 2), shape);
            float[] x = TestNets.fixedBatch(shape);
            for (int i = 0; i < x.length; i++) {
                int n = i / 12;
                x[i] = x[i] * (1 + 0.4f * n) + 0.3f * n; // virtual batches unlike each other
            }
            LayerSample sample = sampleOneStep(manager, layer, x, shape, 2);
            Shape piece = new Shape(2, 3, 2, 2);
            double meanDev = 0;
            double logRatio = 0;
            for (int g = 0; g < 3; g++) {
                double[][] batch = TestNets.moments(Arrays.copyOfRange(x, g * 24, (g + 1) * 24), piece, false);
                meanDev += meanDev(batch) / 3;
                logRatio += stdLogRatio(batch) / 3;
            }
            assertClose(meanDev, sample.meanDev(), "mean_dev over virtual batches");
            assertClose(logRatio, sample.stdLogRatio(), "std_logratio over virtual batches");
            double[][] whole = TestNets.moments(x, shape, false);
            // (mean_dev may agree: when every piece's mean is on the same side of mu_run, the mean of
            // the distances is the distance of the mean; the spread within pieces is smaller than the whole's)
            assertTrue(Math.abs(stdLogRatio(whole) - logRatio) > 0.05,
                    "pieces and whole agree, the test proves nothing: " + stdLogRatio(whole) + " vs " + logRatio);
        }
    }

    @Test
    void everyNormLayerOfANetworkIsSampledAndTheStepsComeBack() {
        Shape input = new Shape(4, 3, 6, 6);
        try (NDManager manager = NDManager.newBaseManager()) {
            SequentialBlock net = TestNets.net(manager, "iebn", Map.of(), input);
            List<NormLayer> layers = NormLayers.find(net);
            List<Standardizer> steps = layers.stream().map(l -> l.block().getStandardizer()).toList();
            NDArray x = TestNets.batches(manager, input, 1, 5).get(0);
            ParameterStore store = new ParameterStore(manager, false);
            List<LayerSample> samples;
            try (LayerProbes probes = LayerProbes.arm(layers, 0)) {
                IllegalStateException e = assertThrows(IllegalStateException.class, probes::samples);
                assertTrue(e.getMessage().contains("saw no training batch"), e.getMessage());
                try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                    collector.backward(net.forward(store, new NDList(x), true).singletonOrThrow().sum());
                }
                samples = probes.samples();
            }
            assertEquals(2, samples.size());
            assertEquals(List.of(0, 1), samples.stream().map(s -> s.layer().index()).toList());
            assertEquals(List.of(16L, 32L), samples.stream().map(LayerSample::channels).toList());
            for (LayerSample s : samples) {
                assertTrue(s.meanDev() > 0 && Double.isFinite(s.stdLogRatio()), s.toString());
                assertEquals(4, s.extra().size());
            }
            for (int i = 0; i < layers.size(); i++) {
                assertSame(steps.get(i), layers.get(i).block().getStandardizer(), "no trace left when off");
            }
        }
    }

    @Test
    void aThirdPartyNormExposesItsOwnValues() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block layer = new PluginNorm(TestNets.REGISTRY.validate("bn", Map.of()));
            layer.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, SHAPE);
            TestNets.set(layer, "runningMean", RUN_MEAN);
            TestNets.set(layer, "runningVar", RUN_VAR);
            float[] x = TestNets.fixedBatch(SHAPE);
            LayerSample sample = sampleOneStep(manager, layer, x, SHAPE, 0);
            assertEquals(List.of("input_max", "input_min"), List.copyOf(sample.extra().keySet()));
            double max = Double.NEGATIVE_INFINITY;
            double min = Double.POSITIVE_INFINITY;
            for (float v : x) {
                max = Math.max(max, v);
                min = Math.min(min, v);
            }
            assertClose(max, sample.extra().get("input_max"), "input_max");
            assertClose(min, sample.extra().get("input_min"), "input_min");
            assertClose(meanDev(TestNets.moments(x, SHAPE, false)), sample.meanDev(), "mean_dev");
        }
    }

    /** A plugin's norm: plain batch norm that reports the range of its input. */
    static final class PluginNorm extends AbstractBatchNormBlock implements LayerProbe {
        PluginNorm(NormOptions options) {
            super((byte) 1, options);
        }

        @Override
        protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
            return new NDList(standardize(store, inputs.singletonOrThrow(), training));
        }

        @Override
        public Map<String, Double> probe(NDArray input) {
            Map<String, Double> values = new LinkedHashMap<>();
            values.put("input_max", (double) input.max().getFloat());
            values.put("input_min", (double) input.min().getFloat());
            return values;
        }
    }

    private static Block layerWithRunningStats(NDManager manager, String norm, Map<String, ?> options, Shape shape) {
        Block layer = TestNets.layer(manager, norm, options, shape);
        TestNets.set(layer, "runningMean", RUN_MEAN);
        TestNets.set(layer, "runningVar", RUN_VAR);
        return layer;
    }

    /** One real training step (forward, backward) on x with the probes armed. */
    private static LayerSample sampleOneStep(NDManager manager, Block layer, float[] x, Shape shape, int normalizationBatch) {
        ParameterStore store = new ParameterStore(manager, false);
        NDArray input = manager.create(x, shape);
        input.setRequiresGradient(true);
        try (LayerProbes probes = LayerProbes.arm(NormLayers.find(layer), normalizationBatch)) {
            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                NDArray y = layer.forward(store, new NDList(input), true).singletonOrThrow();
                collector.backward(y.mul(y).sum());
            }
            assertTrue(input.getGradient().abs().sum().getFloat() > 0, "the step has gradients");
            List<LayerSample> samples = probes.samples();
            assertEquals(1, samples.size());
            return samples.get(0);
        }
    }

    /** mean over c of |mu_B - mu_run| / sqrt(var_run + eps). */
    private static double meanDev(double[][] batch) {
        double sum = 0;
        for (int c = 0; c < 3; c++) {
            sum += Math.abs(batch[0][c] - RUN_MEAN[c]) / Math.sqrt(RUN_VAR[c] + EPS);
        }
        return sum / 3;
    }

    /** mean over c of |log(sqrt(var_B + eps) / sqrt(var_run + eps))|, var_B biased. */
    private static double stdLogRatio(double[][] batch) {
        double sum = 0;
        for (int c = 0; c < 3; c++) {
            sum += Math.abs(Math.log(Math.sqrt(batch[1][c] + EPS) / Math.sqrt(RUN_VAR[c] + EPS)));
        }
        return sum / 3;
    }

    private static void assertClose(double expected, double actual, String what) {
        assertTrue(Math.abs(actual - expected) <= 1e-5 * Math.max(Math.abs(expected), 1e-2),
                String.format("%s: expected %s, got %s", what, expected, actual));
    }
}

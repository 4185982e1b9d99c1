package org.normlab.norm.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.normlab.norm.noise.BatchNormReference.assertClose;
import static org.normlab.norm.noise.BatchNormReference.filled;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.normlab.norm.NormRegistry;
import org.normlab.norm.NormSpec;
import org.normlab.norm.ResumableRandom;
import org.normlab.norm.Standardizable;
import org.normlab.norm.conformance.ConformanceKit;
import org.normlab.norm.conformance.ConformanceReport;
import org.normlab.norm.conformance.ReferenceFixture;
import org.normlab.norm.conformance.Tolerance;
import org.normlab.norm.testing.Fixtures;

class GaussianNoiseTest {

    private static final int CHANNELS = 3;
    private static final int PER_CHANNEL = 100;

    private final NormRegistry registry = NormRegistry.load();
    private final ReferenceFixture bn = Fixtures.load("bn");

    @Test
    void noNoiseReproducesBnAndIebn() {
        Map<String, Object> none = Map.of("s_mu", 0, "s_sigma", 0);
        ConformanceReport bnReport = ConformanceKit.check(registry, "gaussian", none, bn, Tolerance.DEFAULT);
        assertTrue(bnReport.passed(), bnReport::format);
        assertEquals(7, bnReport.checks().size(), bnReport::format);
        ConformanceReport iebnReport = ConformanceKit.check(
                registry, "gaussian", Map.of("s_mu", 0, "s_sigma", 0, "inner", "iebn"), Fixtures.load("iebn"), Tolerance.DEFAULT);
        assertTrue(iebnReport.passed(), iebnReport::format);
        assertEquals(9, iebnReport.checks().size(), iebnReport::format);
    }

    @Test
    void theSameSeedAndLayerGiveTheSameNoiseEveryPassFresh() {
        try (LayerRun one = layer(7, 3); LayerRun two = layer(7, 3)) {
            double[] firstPass = one.forwardTrain();
            assertArrayEquals(firstPass, two.forwardTrain());
            double[] secondPass = one.forwardTrain();
            assertArrayEquals(secondPass, two.forwardTrain());
            assertFalse(Arrays.equals(firstPass, secondPass), "the noise must be drawn afresh for every pass");
        }
    }

    @Test
    void aStreamSeekedToASavedPositionContinuesWithTheSameNoise() {
        try (LayerRun original = layer(7, 3); LayerRun resumed = layer(7, 3); LayerRun fresh = layer(7, 3)) {
            original.forwardTrain();
            original.forwardTrain();
            long position = stream(original).position();
            assertEquals(2 * 2 * CHANNELS, position, "two passes draw two gaussians per channel each");
            stream(resumed).seek(position);
            assertEquals(position, stream(resumed).position());
            double[] third = original.forwardTrain();
            assertArrayEquals(third, resumed.forwardTrain());
            assertFalse(Arrays.equals(third, fresh.forwardTrain()), "without the seek the stream starts over");
        }
    }

    private static ResumableRandom stream(LayerRun run) {
        return (ResumableRandom) ((Standardizable) run.block()).getStandardizer();
    }

    @Test
    void otherSeedsAndOtherLayersGetOtherNoise() {
        try (LayerRun reference = layer(7, 3); LayerRun otherSeed = layer(8, 3); LayerRun otherLayer = layer(7, 4)) {
            double[] y = reference.forwardTrain();
            assertFalse(Arrays.equals(y, otherSeed.forwardTrain()));
            assertFalse(Arrays.equals(y, otherLayer.forwardTrain()));
        }
    }

    @Test
    void layersOfOneFactoryDiffer() {
        var factory = registry.factory("gaussian", Map.of("seed", 7));
        try (LayerRun first = new LayerRun(factory.create(CHANNELS), bn);
                LayerRun second = new LayerRun(factory.create(CHANNELS), bn)) {
            assertFalse(Arrays.equals(first.forwardTrain(), second.forwardTrain()));
        }
    }

    @Test
    void evalIsNeverPerturbed() {
        try (LayerRun run = layer(7, 0)) {
            run.forwardTrain();
            assertClose("eval.y", bn.eval().get("y"), run.eval());
        }
    }

    @Test
    void meanNoiseMovesTheStandardizedMeanAwayFromZero() {
        try (LayerRun meanOnly = layer(Map.of("s_mu", 0.5, "s_sigma", 0), 0);
                LayerRun scaleOnly = layer(Map.of("s_mu", 0, "s_sigma", 0.5), 0)) {
            double[][] shifted = implied(standardized(meanOnly.forwardTrain()));
            assertTrue(Arrays.stream(shifted[0]).anyMatch(m -> Math.abs(m) > 0.05), Arrays.toString(shifted[0]));
            for (int c = 0; c < CHANNELS; c++) {
                assertEquals(1, shifted[1][c], 1e-4, "s_sigma = 0 keeps the scale");
            }
            double[][] scaled = implied(standardized(scaleOnly.forwardTrain()));
            for (int c = 0; c < CHANNELS; c++) {
                assertEquals(0, scaled[0][c], 1e-4, "s_mu = 0 keeps the mean");
            }
            assertTrue(Arrays.stream(scaled[1]).anyMatch(k -> Math.abs(k - 1) > 0.05), Arrays.toString(scaled[1]));
        }
    }

    @Test
    void theNoiseHasTheDocumentedScale() {
        // Per pass and channel the output is (x_hat - s_mu*e1) * exp(-s_sigma*e2): recover e1, e2
        // from mean and scale of the standardized output; over many passes they must look N(0, 1).
        double sMu = 0.3;
        double sSigma = 0.2;
        int passes = 200;
        double[] e1 = new double[passes * CHANNELS];
        double[] e2 = new double[passes * CHANNELS];
        try (LayerRun run = layer(Map.of("s_mu", sMu, "s_sigma", sSigma, "seed", 11), 2)) {
            for (int p = 0; p < passes; p++) {
                double[][] mk = implied(standardized(run.forwardTrain()));
                for (int c = 0; c < CHANNELS; c++) {
                    double k = mk[1][c];
                    e2[p * CHANNELS + c] = -Math.log(k) / sSigma;
                    e1[p * CHANNELS + c] = -mk[0][c] / k / sMu;
                }
            }
        }
        for (double[] e : new double[][] {e1, e2}) {
            double mean = Arrays.stream(e).average().orElseThrow();
            double var = Arrays.stream(e).map(v -> (v - mean) * (v - mean)).sum() / (e.length - 1);
            assertEquals(0, mean, 0.15, "mean of the implied N(0,1) draws");
            assertEquals(1, var, 0.2, "variance of the implied N(0,1) draws");
        }
    }

    @Test
    void gradientsFlowThroughXWithTheNoiseHeldConstant() {
        ReferenceFixture f = bn;
        double[] gamma = f.parameters().get("gamma");
        double[] beta = f.parameters().get("beta");
        try (LayerRun run = layer(Map.of("s_mu", 0.5, "s_sigma", 0.5, "seed", 3), 0)) {
            LayerRun.Train actual = run.train();
            // This pass's noise, read off its output: z = a_c * x_hat + b_c per channel.
            double[][] mk = implied(standardized(actual.y()));
            BatchNormReference.Step expected = BatchNormReference.train(
                    f.input("x"), f.shape(), gamma, beta, f.input("upstream_grad"), mk[1], mk[0], 1e-5);
            assertClose("y", expected.y(), actual.y());
            assertClose("grad_x", expected.gradX(), actual.gradX());
            assertClose("grad_gamma", expected.gradGamma(), actual.paramGrads().get("gamma"));
            assertClose("grad_beta", expected.gradBeta(), actual.paramGrads().get("beta"));
            // Running statistics take the clean batch statistics: PyTorch's values.
            assertClose("running_mean", f.train().get("running_mean_after"), actual.runningMean());
            assertClose("running_var", f.train().get("running_var_after"), actual.runningVar());
        }
    }

    /** z = (y - beta) / gamma with the fixture's affine parameters. */
    private double[] standardized(double[] y) {
        double[] gamma = bn.parameters().get("gamma");
        double[] beta = bn.parameters().get("beta");
        double[] z = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            int c = (i / 25) % CHANNELS;
            z[i] = (y[i] - beta[c]) / gamma[c];
        }
        return z;
    }

    /**
     * Per channel, the shift b and scale a with z = a * x_hat + b, x_hat the clean batch-normalized
     * fixture input (which has mean 0 and nearly unit variance): b = mean(z), a = std(z) / std(x_hat).
     */
    private double[][] implied(double[] z) {
        double[] xHat = BatchNormReference.train(bn.input("x"), bn.shape(), filled(CHANNELS, 1), filled(CHANNELS, 0),
                filled(z.length, 0), filled(CHANNELS, 1), filled(CHANNELS, 0), 1e-5).y();
        double[] shift = new double[CHANNELS];
        double[] scale = new double[CHANNELS];
        for (int c = 0; c < CHANNELS; c++) {
            double sumZ = 0;
            double sumZ2 = 0;
            double sumX2 = 0;
            for (int i = 0; i < z.length; i++) {
                if ((i / 25) % CHANNELS == c) {
                    sumZ += z[i];
                    sumZ2 += z[i] * z[i];
                    sumX2 += xHat[i] * xHat[i];
                }
            }
            shift[c] = sumZ / PER_CHANNEL;
            scale[c] = Math.sqrt((sumZ2 / PER_CHANNEL - shift[c] * shift[c]) / (sumX2 / PER_CHANNEL));
        }
        return new double[][] {shift, scale};
    }

    private LayerRun layer(int seed, int layerIndex) {
        return layer(Map.of("seed", seed), layerIndex);
    }

    private LayerRun layer(Map<String, ?> options, int layerIndex) {
        NormSpec spec = new NormSpec(CHANNELS, registry.validate("gaussian", options), registry, layerIndex);
        return new LayerRun(registry.provider("gaussian").create(spec), bn);
    }
}

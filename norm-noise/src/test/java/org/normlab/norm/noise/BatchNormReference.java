package org.normlab.norm.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;

/**
 * Batch norm by hand in double precision, with a per-channel perturbation of the standardized
 * values: y = (a_c * x_hat + b_c) * gamma_c + beta_c, x_hat = (x - mean_c) / sqrt(var_c + eps)
 * with the biased batch variance. Forward and backward (loss = sum(y * upstream)) written out,
 * independent of DJL and of the code under test. Input layout (N, C, S) flattened row-major.
 */
final class BatchNormReference {

    /** Outputs and gradients of one training step, and the batch statistics (biased variance). */
    record Step(double[] y, double[] gradX, double[] gradGamma, double[] gradBeta, double[] mean, double[] var) {}

    private BatchNormReference() {}

    static Step train(double[] x, long[] shape, double[] gamma, double[] beta, double[] upstream,
            double[] a, double[] b, double eps) {
        int n = (int) shape[0];
        int c = (int) shape[1];
        int s = x.length / (n * c);
        int count = n * s;
        double[] mean = new double[c];
        double[] var = new double[c];
        double[] y = new double[x.length];
        double[] gradX = new double[x.length];
        double[] gradGamma = new double[c];
        double[] gradBeta = new double[c];
        for (int ch = 0; ch < c; ch++) {
            for (int i : indices(n, c, s, ch)) {
                mean[ch] += x[i] / count;
            }
            for (int i : indices(n, c, s, ch)) {
                var[ch] += (x[i] - mean[ch]) * (x[i] - mean[ch]) / count;
            }
            double std = Math.sqrt(var[ch] + eps);
            // dL/dx_hat = upstream * gamma * a; dx = (count*g - sum(g) - x_hat*sum(g*x_hat)) / (count*std)
            double sumG = 0;
            double sumGxHat = 0;
            for (int i : indices(n, c, s, ch)) {
                double xHat = (x[i] - mean[ch]) / std;
                double z = a[ch] * xHat + b[ch];
                y[i] = z * gamma[ch] + beta[ch];
                gradGamma[ch] += upstream[i] * z;
                gradBeta[ch] += upstream[i];
                double g = upstream[i] * gamma[ch] * a[ch];
                sumG += g;
                sumGxHat += g * xHat;
            }
            for (int i : indices(n, c, s, ch)) {
                double xHat = (x[i] - mean[ch]) / std;
                double g = upstream[i] * gamma[ch] * a[ch];
                gradX[i] = (count * g - sumG - xHat * sumGxHat) / (count * std);
            }
        }
        return new Step(y, gradX, gradGamma, gradBeta, mean, var);
    }

    /** PyTorch's running update with the unbiased batch variance; returns {mean, var}. */
    static double[][] updateRunning(double[] runMean, double[] runVar, Step step, long count, double momentum) {
        double[] m = runMean.clone();
        double[] v = runVar.clone();
        for (int ch = 0; ch < m.length; ch++) {
            m[ch] = (1 - momentum) * m[ch] + momentum * step.mean()[ch];
            v[ch] = (1 - momentum) * v[ch] + momentum * step.var()[ch] * count / (count - 1);
        }
        return new double[][] {m, v};
    }

    /** Samples [from, to) of an (N, C, S) array. */
    static double[] samples(double[] x, long[] shape, int from, int to) {
        int perSample = (int) (x.length / shape[0]);
        return Arrays.copyOfRange(x, from * perSample, to * perSample);
    }

    static double[] concat(double[] first, double[] second) {
        double[] all = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }

    static double[] filled(int length, double value) {
        double[] d = new double[length];
        Arrays.fill(d, value);
        return d;
    }

    /** Asserts |actual - expected| <= 1e-5 + 1e-4 * |expected| element-wise (float32 vs float64). */
    static void assertClose(String what, double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(actual[i] - expected[i]) <= 1e-5 + 1e-4 * Math.abs(expected[i]))) {
                fail(String.format("%s[%d]: expected %.8g, got %.8g", what, i, expected[i], actual[i]));
            }
        }
    }

    private static int[] indices(int n, int c, int s, int ch) {
        int[] idx = new int[n * s];
        int k = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < s; j++) {
                idx[k++] = (i * c + ch) * s + j;
            }
        }
        return idx;
    }
}

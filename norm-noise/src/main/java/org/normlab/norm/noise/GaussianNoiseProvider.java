package org.normlab.norm.noise;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.normlab.norm.NormOption;
import org.normlab.norm.NormSpec;
import org.normlab.norm.ResumableRandom;
import org.normlab.norm.RunningStats;
import org.normlab.norm.Standardizer;

/**
 * {@code gaussian}: amplified estimation noise. In every training forward pass, per channel,
 * the batch statistics are replaced by mean' = mean + s_mu * std * e1 and
 * std' = std * exp(s_sigma * e2), with e1, e2 ~ N(0, 1) fresh each pass and std = sqrt(var + eps)
 * the value the step divides by. Since (x - mean') / std' = (x_hat - s_mu * e1) * exp(-s_sigma * e2),
 * this is applied to the inner step's x_hat, so it composes with any inner step.
 *
 * <ul>
 *   <li>Defaults s_mu = s_sigma = 0.1: a tenth of a standard deviation, the standard error of a
 *       mean over 100 independent values, so a clearly felt but survivable attack; s_mu = s_sigma = 0
 *       is the wrapped norm unchanged.
 *   <li>The running statistics are updated with the clean batch statistics (the inner step does
 *       it), so eval, which is never perturbed, sees the data's true statistics.
 *   <li>Gradients flow through x_hat (batch mean and variance included); the noise is a constant.
 *   <li>Each layer draws from its own {@link SplittableRandom} seeded by (seed, layer index): the
 *       same seed gives the same noise, layers differ, no engine RNG state is touched. The
 *       stream counts its draws ({@link ResumableRandom}), so a resumed trial continues it.
 * </ul>
 */
public final class GaussianNoiseProvider extends StandardizerWrapper {

    public static final NormOption S_MU =
            NormOption.real("s_mu", 0.1, 0, 10, "mean noise, in batch standard deviations");
    public static final NormOption S_SIGMA =
            NormOption.real("s_sigma", 0.1, 0, 10, "log-scale noise of the batch standard deviation");
    public static final NormOption SEED =
            NormOption.integer("seed", 0, 0, Integer.MAX_VALUE, "seed of the noise; each layer derives its own stream");

    @Override
    public String name() {
        return "gaussian";
    }

    @Override
    public String description() {
        return "estimation-noise attack: mean += s_mu*std*N(0,1), std *= exp(s_sigma*N(0,1)) per batch and channel "
                + "in training (defaults 0.1, 0.1)";
    }

    @Override
    protected List<NormOption> wrapperOptions() {
        return List.of(S_MU, S_SIGMA, SEED);
    }

    @Override
    protected Standardizer decorate(Standardizer inner, NormSpec spec) {
        return new GaussianNoise(
                inner,
                spec.options().getDouble(S_MU.name()),
                spec.options().getDouble(S_SIGMA.name()),
                spec.options().getInt(SEED.name()), spec.layerIndex());
    }

    /** One stream per (seed, layer): the two ints packed into one long, so distinct pairs never collide. */
    static SplittableRandom layerStream(int seed, int layerIndex) {
        return new SplittableRandom(((long) seed << 32) | (layerIndex & 0xFFFFFFFFL));
    }

    /** x_hat' = (x_hat - s_mu * e1) * exp(-s_sigma * e2) in training. */
    static final class GaussianNoise implements Standardizer, ResumableRandom {

        private final Standardizer inner;
        private final double sMu;
        private final double sSigma;
        private final int seed;
        private final int layerIndex;
        private SplittableRandom random;
        private long drawn;

        GaussianNoise(Standardizer inner, double sMu, double sSigma, int seed, int layerIndex) {
            this.inner = inner;
            this.sMu = sMu;
            this.sSigma = sSigma;
            this.seed = seed;
            this.layerIndex = layerIndex;
            this.random = layerStream(seed, layerIndex);
        }

        /** Gaussians drawn so far. */
        @Override
        public synchronized long position() {
            return drawn;
        }

        /** SplittableRandom's state is not exposed, so the stream is replayed (tens of millions a second). */
        @Override
        public synchronized void seek(long position) {
            random = layerStream(seed, layerIndex);
            for (long i = 0; i < position; i++) {
                random.nextGaussian();
            }
            drawn = position;
        }

        @Override
        public NDArray standardize(NDArray x, RunningStats stats, boolean training) {
            NDArray xHat = inner.standardize(x, stats, training);
            if (!training) {
                return xHat;
            }
            int channels = (int) x.getShape().get(1);
            float[] shift = new float[channels];
            float[] scale = new float[channels];
            synchronized (this) {
                for (int c = 0; c < channels; c++) {
                    shift[c] = (float) (sMu * random.nextGaussian());
                    scale[c] = (float) Math.exp(-sSigma * random.nextGaussian());
                }
                drawn += 2L * channels;
            }
            return xHat.sub(constant(shift, xHat)).mul(constant(scale, xHat));
        }

        /** A per-channel constant (no gradient) shaped, typed and placed to broadcast over x_hat. */
        private static NDArray constant(float[] perChannel, NDArray xHat) {
            Shape bcast = RunningStats.broadcastShape(xHat);
            return xHat.getManager()
                    .create(perChannel, bcast)
                    .toDevice(xHat.getDevice(), false)
                    .toType(xHat.getDataType(), false);
        }

        /** An attack decorates the norm's step: the instruments look through it. */
        @Override
        public Standardizer decorated() {
            return inner;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "gaussian(s_mu=%s, s_sigma=%s, %s)", sMu, sSigma, inner);
        }
    }
}

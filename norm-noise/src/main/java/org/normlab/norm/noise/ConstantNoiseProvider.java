package org.normlab.norm.noise;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Locale;
import org.normlab.norm.NormOption;
import org.normlab.norm.NormSpec;
import org.normlab.norm.RunningStats;
import org.normlab.norm.Standardizer;

/**
 * {@code constant}: the IEBN paper's constant-noise attack, x_hat' = a * x_hat + b at the
 * batch-normalized step of every wrapped layer, before the affine (and IEBN's gate).
 *
 * <p>The paper's constants are not published; the defaults a = 1.5, b = 0.5 are a visible but
 * non-destructive perturbation (the standardized features get std 1.5 and mean 0.5), and a = 1,
 * b = 0 is the wrapped norm unchanged. By default only training is attacked ({@code eval=false}):
 * eval then shows what the network learnt under attack on clean statistics.
 */
public final class ConstantNoiseProvider extends StandardizerWrapper {

    public static final NormOption A = NormOption.real("a", 1.5, -10, 10, "multiplies x_hat (1 = no change)");
    public static final NormOption B = NormOption.real("b", 0.5, -10, 10, "added to x_hat (0 = no change)");
    public static final NormOption EVAL =
            NormOption.bool("eval", false, "attack in eval mode too, not only in training");

    @Override
    public String name() {
        return "constant";
    }

    @Override
    public String description() {
        return "constant-noise attack on the wrapped norm: x_hat -> a * x_hat + b (defaults a=1.5, b=0.5, training only)";
    }

    @Override
    protected List<NormOption> wrapperOptions() {
        return List.of(A, B, EVAL);
    }

    @Override
    protected Standardizer decorate(Standardizer inner, NormSpec spec) {
        return new ConstantNoise(
                inner,
                spec.options().getFloat(A.name()),
                spec.options().getFloat(B.name()),
                spec.options().getBoolean(EVAL.name()));
    }

    /** x_hat' = a * x_hat + b on top of the inner step. */
    static final class ConstantNoise implements Standardizer {

        private final Standardizer inner;
        private final float a;
        private final float b;
        private final boolean inEval;

        ConstantNoise(Standardizer inner, float a, float b, boolean inEval) {
            this.inner = inner;
            this.a = a;
            this.b = b;
            this.inEval = inEval;
        }

        @Override
        public NDArray standardize(NDArray x, RunningStats stats, boolean training) {
            NDArray xHat = inner.standardize(x, stats, training);
            if (!training && !inEval) {
                return xHat;
            }
            // A tensor, not mul(Number): DJL frees a Number's temporary buffer at once, while
            // autograd still reads the factor in backward.
            NDArray factor = xHat.getManager().full(new Shape(), a, xHat.getDataType());
            return xHat.mul(factor).add(b);
        }

        /** An attack decorates the norm's step: the instruments look through it. */
        @Override
        public Standardizer decorated() {
            return inner;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "constant(a=%s, b=%s, eval=%s, %s)", a, b, inEval, inner);
        }
    }
}

package org.normlab.norm.act;

import ai.djl.nn.Block;
import java.util.List;
import org.normlab.norm.BatchNormOptions;
import org.normlab.norm.NormOption;
import org.normlab.norm.NormProvider;
import org.normlab.norm.NormSpec;

/** {@code evonorm_b0}: timm's EvoNorm2dB0 (eps 1e-3, momentum 0.1); replaces a norm and its ReLU. */
public final class EvoNormB0Provider implements NormProvider {

    static final NormOption EPS = NormOption.positive("eps", 1e-3, 1.0, "added to the variances before the square root");

    @Override
    public String name() {
        return "evonorm_b0";
    }

    @Override
    public String description() {
        return "EvoNorm-B0 (Liu et al. 2020, timm's EvoNorm2dB0): batch and instance variance; carries its activation";
    }

    @Override
    public List<NormOption> options() {
        return List.of(EPS, BatchNormOptions.MOMENTUM);
    }

    @Override
    public boolean carriesActivation() {
        return true;
    }

    @Override
    public Block create(NormSpec spec) {
        return new EvoNormB0Layer(
                spec.options().getFloat(EPS.name()),
                spec.options().getFloat(BatchNormOptions.MOMENTUM.name()),
                spec.applyActivation());
    }
}

package org.normlab.norm.act;

import ai.djl.nn.Block;
import java.util.List;
import org.normlab.norm.BatchNormOptions;
import org.normlab.norm.Groups;
import org.normlab.norm.NormOption;
import org.normlab.norm.NormProvider;
import org.normlab.norm.NormSpec;

/**
 * {@code evonorm_s0}: timm's EvoNorm2dS0 (groups 32, eps 1e-5); replaces a norm and its ReLU.
 * Groups that do not divide a layer's channels round down to a divisor unless {@code strict}
 * ({@link Groups}); timm would refuse them.
 */
public final class EvoNormS0Provider implements NormProvider {

    @Override
    public String name() {
        return "evonorm_s0";
    }

    @Override
    public String description() {
        return "EvoNorm-S0 (Liu et al. 2020, timm's EvoNorm2dS0): x*sigmoid(v*x) / group std; carries its activation";
    }

    @Override
    public List<NormOption> options() {
        return List.of(Groups.GROUPS, Groups.STRICT, BatchNormOptions.EPS);
    }

    @Override
    public boolean carriesActivation() {
        return true;
    }

    @Override
    public Block create(NormSpec spec) {
        return new EvoNormS0Layer(
                Groups.resolve(name(), spec), spec.options().getFloat(BatchNormOptions.EPS.name()), spec.applyActivation());
    }
}

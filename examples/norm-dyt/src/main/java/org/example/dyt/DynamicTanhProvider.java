package org.example.dyt;

import ai.djl.nn.Block;
import java.util.List;
import org.normlab.norm.NormOption;
import org.normlab.norm.NormProvider;
import org.normlab.norm.NormSpec;

/** {@code dyt}: Dynamic Tanh, y = tanh(alpha * x) * gamma + beta (Zhu et al. 2025, "Transformers without Normalization"). */
public final class DynamicTanhProvider implements NormProvider {

    static final NormOption ALPHA_INIT = NormOption.real("alpha_init", 0.5, 0.0, 10.0, "alpha's initial value");

    @Override
    public String name() {
        return "dyt";
    }

    @Override
    public String description() {
        return "example plugin: dynamic tanh, one learnable scalar alpha and a per-channel affine";
    }

    @Override
    public List<NormOption> options() {
        return List.of(ALPHA_INIT);
    }

    @Override
    public Block create(NormSpec spec) {
        return new DynamicTanhLayer(spec.options().getFloat(ALPHA_INIT.name()));
    }
}

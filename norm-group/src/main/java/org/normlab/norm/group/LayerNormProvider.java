package org.normlab.norm.group;

import ai.djl.nn.Block;
import java.util.List;
import org.normlab.norm.NormOption;
import org.normlab.norm.NormProvider;
import org.normlab.norm.NormSpec;

/**
 * {@code ln}: LayerNorm as the GroupNorm paper defines it for CNNs, statistics over (C, H, W) of
 * each sample and a per-channel affine: {@code torch.nn.GroupNorm(1, C)} (not
 * {@code torch.nn.LayerNorm}, whose affine is per element).
 */
public final class LayerNormProvider implements NormProvider {

    @Override
    public String name() {
        return "ln";
    }

    @Override
    public String description() {
        return "layer normalization for CNNs (torch.nn.GroupNorm(1, C)): statistics per sample over C, H, W";
    }

    @Override
    public List<NormOption> options() {
        return GroupNormOptions.EPS_AFFINE;
    }

    @Override
    public Block create(NormSpec spec) {
        return GroupNormOptions.layer(1, spec);
    }
}

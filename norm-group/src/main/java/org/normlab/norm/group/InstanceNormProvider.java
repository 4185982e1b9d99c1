package org.normlab.norm.group;

import ai.djl.nn.Block;
import java.util.List;
import org.normlab.norm.NormOption;
import org.normlab.norm.NormProvider;
import org.normlab.norm.NormSpec;

/**
 * {@code in}: InstanceNorm with a per-channel affine and no running statistics (eval equals
 * train), {@code torch.nn.InstanceNorm2d(C, affine=True)}: GroupNorm with one group per channel.
 */
public final class InstanceNormProvider implements NormProvider {

    @Override
    public String name() {
        return "in";
    }

    @Override
    public String description() {
        return "instance normalization (torch.nn.InstanceNorm2d(C, affine=True)): statistics per sample and channel";
    }

    @Override
    public List<NormOption> options() {
        return GroupNormOptions.EPS_AFFINE;
    }

    @Override
    public Block create(NormSpec spec) {
        return GroupNormOptions.layer(spec.channels(), spec);
    }
}

package org.normlab.norm.group;

import ai.djl.nn.Block;
import java.util.ArrayList;
import java.util.List;
import org.normlab.norm.Groups;
import org.normlab.norm.NormOption;
import org.normlab.norm.NormProvider;
import org.normlab.norm.NormSpec;

/**
 * {@code gn}: GroupNorm, equal to {@code torch.nn.GroupNorm(groups, C)}. Where {@code groups}
 * does not divide a layer's channels the layer uses the largest divisor below it, or, with
 * {@code strict: true}, the model is refused with the layer's channels named ({@link Groups}).
 */
public final class GroupNormProvider implements NormProvider {

    @Override
    public String name() {
        return "gn";
    }

    @Override
    public String description() {
        return "group normalization (torch.nn.GroupNorm): statistics per sample over channel groups";
    }

    @Override
    public List<NormOption> options() {
        List<NormOption> all = new ArrayList<>(Groups.OPTIONS);
        all.addAll(GroupNormOptions.EPS_AFFINE);
        return List.copyOf(all);
    }

    @Override
    public Block create(NormSpec spec) {
        return GroupNormOptions.layer(Groups.resolve(name(), spec), spec);
    }
}

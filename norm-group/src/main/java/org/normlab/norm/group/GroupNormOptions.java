package org.normlab.norm.group;

import java.util.List;
import org.normlab.norm.BatchNormOptions;
import org.normlab.norm.NormOption;
import org.normlab.norm.NormSpec;

/** eps and affine, as torch.nn.GroupNorm's (eps 1e-5, affine true). */
final class GroupNormOptions {

    static final List<NormOption> EPS_AFFINE = List.of(BatchNormOptions.EPS, BatchNormOptions.AFFINE);

    private GroupNormOptions() {}

    static GroupNormLayer layer(int groups, NormSpec spec) {
        return new GroupNormLayer(
                groups,
                spec.options().getDouble(BatchNormOptions.EPS.name()),
                spec.options().getBoolean(BatchNormOptions.AFFINE.name()));
    }
}

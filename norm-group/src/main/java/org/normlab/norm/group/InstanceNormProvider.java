package org.normlab.norm.group;

import ai.djl.nn.Block;
import java.util.List;
import org.normlab.norm.BatchNormOptions;
import org.normlab.norm.NormOption;
import org.normlab.norm.NormProvider;
import org.normlab.norm.NormSpec;

/**
 * {@code in}: InstanceNorm with a per-channel affine and, by default, no running statistics (eval
 * equals train): {@code torch.nn.InstanceNorm2d(C, affine=True)}, GroupNorm with one group per
 * channel. {@code track_running_stats: true} keeps running statistics for eval as
 * {@code InstanceNorm2d(C, affine=True, track_running_stats=True)}, with {@code momentum}.
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

    static final NormOption TRACK = NormOption.bool(
            "track_running_stats", false, "keep running statistics and use them in eval (PyTorch's InstanceNorm option)");

    @Override
    public List<NormOption> options() {
        return List.of(BatchNormOptions.EPS, BatchNormOptions.AFFINE, TRACK, BatchNormOptions.MOMENTUM);
    }

    @Override
    public Block create(NormSpec spec) {
        if (spec.options().getBoolean(TRACK.name())) {
            return new RunningInstanceNormLayer(
                    spec.options().getFloat(BatchNormOptions.EPS.name()),
                    spec.options().getFloat(BatchNormOptions.MOMENTUM.name()),
                    spec.options().getBoolean(BatchNormOptions.AFFINE.name()));
        }
        return GroupNormOptions.layer(spec.channels(), spec);
    }
}

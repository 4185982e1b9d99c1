package org.normlab.norm.brn;

import ai.djl.nn.Block;
import java.util.ArrayList;
import java.util.List;
import org.normlab.norm.BatchNormOptions;
import org.normlab.norm.NormOption;
import org.normlab.norm.NormProvider;
import org.normlab.norm.NormSpec;

/**
 * {@code brn}: Batch Renormalization with fixed clipping limits. The paper's warm-up (start at
 * r_max = 1, d_max = 0, i.e. bn, and relax to 3 and 5) is not built in: the limits are options,
 * so a sweep can compare schedules' end points; defaults are the paper's final 3 and 5.
 * Attackable as bn: it keeps bn's replaceable batch-normalized step.
 */
public final class BatchRenormProvider implements NormProvider {

    static final NormOption R_MAX = NormOption.real(
            "r_max", 3.0, 1.0, 1e6, "r = sigma_B / sigma is clipped to [1/r_max, r_max]; 1 with d_max 0 is bn");
    static final NormOption D_MAX = NormOption.real(
            "d_max", 5.0, 0.0, 1e6, "d = (mu_B - mu) / sigma is clipped to [-d_max, d_max]");

    @Override
    public String name() {
        return "brn";
    }

    @Override
    public String description() {
        return "batch renormalization (Ioffe 2017): bn corrected by clipped r, d toward the running statistics";
    }

    @Override
    public List<NormOption> options() {
        List<NormOption> all = new ArrayList<>(BatchNormOptions.ALL);
        all.add(R_MAX);
        all.add(D_MAX);
        return List.copyOf(all);
    }

    @Override
    public Block create(NormSpec spec) {
        return new BatchRenormLayer(spec.options());
    }
}

package org.normlab.norm.iebn;

import ai.djl.nn.Block;
import java.util.ArrayList;
import java.util.List;
import org.normlab.norm.BatchNormOptions;
import org.normlab.norm.NormOption;
import org.normlab.norm.NormProvider;
import org.normlab.norm.NormSpec;

/** {@code iebn}: Instance Enhancement Batch Normalization. */
public final class IebnProvider implements NormProvider {

    @Override
    public String name() {
        return "iebn";
    }

    @Override
    public String description() {
        return "instance enhancement batch norm: BN scale gated by sigmoid(w * mean_hw(x) + b)";
    }

    /** eps, momentum, affine, gate. */
    private static final List<NormOption> OPTIONS = options(BatchNormOptions.ALL, IebnLayer.GATE);

    @Override
    public List<NormOption> options() {
        return OPTIONS;
    }

    private static List<NormOption> options(List<NormOption> shared, NormOption own) {
        List<NormOption> all = new ArrayList<>(shared);
        all.add(own);
        return List.copyOf(all);
    }

    @Override
    public Block create(NormSpec spec) {
        return new IebnLayer(spec.options());
    }
}

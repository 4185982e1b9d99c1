package org.normlab.norm.iebn;

import ai.djl.nn.Block;
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

    @Override
    public List<NormOption> options() {
        return BatchNormOptions.ALL;
    }

    @Override
    public Block create(NormSpec spec) {
        return new IebnLayer(spec.options());
    }
}

package org.normlab.norm.bn;

import ai.djl.nn.Block;
import java.util.List;
import org.normlab.norm.BatchNormOptions;
import org.normlab.norm.NormOption;
import org.normlab.norm.NormProvider;
import org.normlab.norm.NormSpec;

/** {@code bn}: standard batch normalization. */
public final class BatchNormProvider implements NormProvider {

    @Override
    public String name() {
        return "bn";
    }

    @Override
    public String description() {
        return "batch normalization (PyTorch BatchNorm semantics)";
    }

    @Override
    public List<NormOption> options() {
        return BatchNormOptions.ALL;
    }

    @Override
    public Block create(NormSpec spec) {
        return new BatchNormLayer(spec.options());
    }
}

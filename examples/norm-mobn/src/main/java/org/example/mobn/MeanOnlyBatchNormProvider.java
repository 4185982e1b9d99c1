package org.example.mobn;

import ai.djl.nn.Block;
import java.util.List;
import org.normlab.norm.BatchNormOptions;
import org.normlab.norm.NormOption;
import org.normlab.norm.NormProvider;
import org.normlab.norm.NormSpec;

/** {@code mobn}: mean-only batch normalization; attackable (constant, gaussian, ghost wrap its step). */
public final class MeanOnlyBatchNormProvider implements NormProvider {

    @Override
    public String name() {
        return "mobn";
    }

    @Override
    public String description() {
        return "example plugin: mean-only batch normalization (batch mean subtracted, no variance, running mean)";
    }

    /** momentum only: nothing is divided, so there is no eps. */
    @Override
    public List<NormOption> options() {
        return List.of(BatchNormOptions.MOMENTUM);
    }

    @Override
    public Block create(NormSpec spec) {
        return new MeanOnlyBatchNormLayer(spec.options());
    }
}

package org.normlab.norm.act;

import ai.djl.nn.Block;
import java.util.List;
import org.normlab.norm.NormOption;
import org.normlab.norm.NormProvider;
import org.normlab.norm.NormSpec;

/** {@code frn}: FRN + TLU; replaces a norm and the ReLU after it. */
public final class FrnProvider implements NormProvider {

    static final NormOption EPS = NormOption.positive("eps", 1e-6, 1.0, "added to mean_hw(x^2) before the square root");

    @Override
    public String name() {
        return "frn";
    }

    @Override
    public String description() {
        return "filter response normalization + TLU (Singh & Krishnan 2020); carries its activation";
    }

    @Override
    public List<NormOption> options() {
        return List.of(EPS);
    }

    @Override
    public boolean carriesActivation() {
        return true;
    }

    @Override
    public Block create(NormSpec spec) {
        return new FrnLayer(spec.options().getFloat(EPS.name()), spec.applyActivation());
    }
}

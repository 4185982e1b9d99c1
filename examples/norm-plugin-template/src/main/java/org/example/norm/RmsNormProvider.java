package org.example.norm;

import ai.djl.nn.Block;
import java.util.List;
import org.normlab.norm.NormOption;
import org.normlab.norm.NormProvider;
import org.normlab.norm.NormSpec;

/** {@code rms}: found by NormLab through META-INF/services/org.normlab.norm.NormProvider. */
public final class RmsNormProvider implements NormProvider {

    static final NormOption EPS = NormOption.positive("eps", 1e-5, 1.0, "added to the mean square");

    @Override
    public String name() {
        return "rms";
    }

    @Override
    public String description() {
        return "example plugin: RMS norm over C, H, W with per-channel affine";
    }

    @Override
    public List<NormOption> options() {
        return List.of(EPS);
    }

    @Override
    public Block create(NormSpec spec) {
        return new RmsNormLayer(spec.options().getFloat(EPS.name()));
    }
}

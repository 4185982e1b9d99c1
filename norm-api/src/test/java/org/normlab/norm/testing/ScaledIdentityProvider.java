package org.normlab.norm.testing;

import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import java.util.List;
import org.normlab.norm.NormOption;
import org.normlab.norm.NormProvider;
import org.normlab.norm.NormSpec;

/**
 * A norm that lives only in test code and registers itself through its own services file
 * (src/test/resources/META-INF/services): y = scale * x. It proves the plugin story without
 * touching any other module, and, being no batch norm, that wrappers refuse it.
 */
public final class ScaledIdentityProvider implements NormProvider {

    @Override
    public String name() {
        return "scaled-identity";
    }

    @Override
    public String description() {
        return "test plugin: y = scale * x";
    }

    @Override
    public List<NormOption> options() {
        return List.of(NormOption.real("scale", 1.0, -100, 100, "the factor"));
    }

    @Override
    public Block create(NormSpec spec) {
        float scale = spec.options().getFloat("scale");
        return LambdaBlock.singleton(x -> x.mul(scale));
    }
}

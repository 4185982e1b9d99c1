package org.normlab.norm.noise;

import ai.djl.nn.Block;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.normlab.norm.NormConfigException;
import org.normlab.norm.NormOption;
import org.normlab.norm.NormOptions;
import org.normlab.norm.NormProvider;
import org.normlab.norm.NormRegistry;
import org.normlab.norm.NormSpec;
import org.normlab.norm.Standardizable;
import org.normlab.norm.Standardizer;

/**
 * A norm that is another norm with a perturbed batch-normalized step. It builds the norm named
 * by option {@code inner} (with that norm's default options) through the registry, decorates
 * the inner block's current {@link Standardizer} (so wrappers compose) and returns the inner
 * block itself: same parameters, same names, same saved format.
 */
public abstract class StandardizerWrapper implements NormProvider {

    public static final NormOption INNER =
            NormOption.string("inner", "bn", List.of(), "the norm to wrap (built with its default options)");

    /** The options of this wrapper besides {@code inner}. */
    protected abstract List<NormOption> wrapperOptions();

    /**
     * The step to install in one layer.
     *
     * @param inner the inner block's current step
     * @param spec this wrapper's spec (its options, the layer's index)
     */
    protected abstract Standardizer decorate(Standardizer inner, NormSpec spec);

    @Override
    public final List<NormOption> options() {
        List<NormOption> all = new ArrayList<>();
        all.add(INNER);
        all.addAll(wrapperOptions());
        return List.copyOf(all);
    }

    /** The inner norm must exist; whether it can be wrapped shows when a layer is built. */
    @Override
    public void validate(NormOptions options, NormRegistry registry) {
        String innerName = options.getString(INNER.name());
        try {
            registry.validate(innerName, Map.of());
        } catch (NormConfigException e) {
            throw new NormConfigException(
                    INNER.name(), String.format("norm '%s', option 'inner': %s", name(), e.getMessage()));
        }
    }

    @Override
    public final Block create(NormSpec spec) {
        String innerName = spec.options().getString(INNER.name());
        Block block = buildInner(innerName, spec);
        if (!(block instanceof Standardizable)) {
            throw new NormConfigException(
                    INNER.name(),
                    String.format(
                            "norm '%s' cannot wrap norm '%s': its block (%s) does not implement %s, so it has "
                                    + "no batch-normalized step to perturb; wrap a batch-statistics norm such as bn or iebn",
                            name(), innerName, block.getClass().getName(), Standardizable.class.getName()));
        }
        Standardizable target = (Standardizable) block;
        target.setStandardizer(decorate(target.getStandardizer(), spec));
        return block;
    }

    private Block buildInner(String innerName, NormSpec spec) {
        NormRegistry registry = spec.registry();
        try {
            NormOptions innerOptions = registry.validate(innerName, Map.of());
            NormProvider inner = registry.provider(innerName);
            return inner.create(new NormSpec(spec.channels(), innerOptions, registry, spec.layerIndex()));
        } catch (NormConfigException e) {
            throw new NormConfigException(
                    INNER.name(), String.format("norm '%s', option 'inner': %s", name(), e.getMessage()));
        }
    }
}

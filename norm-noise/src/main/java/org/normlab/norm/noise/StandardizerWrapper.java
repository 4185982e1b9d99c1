package org.normlab.norm.noise;

import ai.djl.nn.Block;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
 * by option {@code inner} (with the options of {@code inner_options}, e.g. {@code gate=fixed};
 * that norm's defaults for the rest) through the registry, decorates
 * the inner block's current {@link Standardizer} (so wrappers compose) and returns the inner
 * block itself: same parameters, same names, same saved format.
 */
public abstract class StandardizerWrapper implements NormProvider {

    public static final NormOption INNER =
            NormOption.string("inner", "bn", List.of(), "the norm to wrap (built with its default options)");

    /** The inner norm's options as key=value pairs separated by commas; a sweep's norm.options under an attack. */
    public static final NormOption INNER_OPTIONS = NormOption.string("inner_options", "", List.of(),
            "options of the inner norm as key=value pairs separated by commas, e.g. gate=fixed "
                    + "(a sweep's norm.options under an attack land here)");

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
        all.add(INNER_OPTIONS);
        all.addAll(wrapperOptions());
        return List.copyOf(all);
    }

    /** The inner norm must exist and take its options; whether it can be wrapped shows when a layer is built. */
    @Override
    public void validate(NormOptions options, NormRegistry registry) {
        String innerName = options.getString(INNER.name());
        Map<String, String> innerOptions = innerOptions(options);
        try {
            registry.validate(innerName, innerOptions);
        } catch (NormConfigException e) {
            throw innerError(e, innerOptions);
        }
    }

    /** The wrapped norm's: a perturbation leaves the samples normalized together as they are (ghost cuts them further). */
    @Override
    public int normalizationBatch(NormOptions options, int batchSize, NormRegistry registry) {
        String innerName = options.getString(INNER.name());
        return registry.provider(innerName).normalizationBatch(registry.validate(innerName, innerOptions(options)), batchSize,
                registry);
    }

    /** An error of the inner norm, blamed on inner_options when one of its options is at fault, else on inner. */
    private NormConfigException innerError(NormConfigException e, Map<String, String> innerOptions) {
        String option = innerOptions.containsKey(e.key()) ? INNER_OPTIONS.name() : INNER.name();
        return new NormConfigException(option, String.format("norm '%s', option '%s': %s", name(), option, e.getMessage()));
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
        Map<String, String> raw = innerOptions(spec.options());
        try {
            NormOptions innerOptions = registry.validate(innerName, raw);
            NormProvider inner = registry.provider(innerName);
            return inner.create(new NormSpec(spec.channels(), innerOptions, registry, spec.layerIndex()));
        } catch (NormConfigException e) {
            throw innerError(e, raw);
        }
    }

    /**
     * {@code inner_options} as a map: "gate=fixed,momentum=0.2" is {gate: fixed, momentum: 0.2}
     * (values as text; the inner norm's options convert and check them).
     *
     * @throws NormConfigException for a pair without '=' or a key given twice
     */
    private Map<String, String> innerOptions(NormOptions options) {
        String text = options.getString(INNER_OPTIONS.name()).trim();
        Map<String, String> parsed = new LinkedHashMap<>();
        if (text.isEmpty()) {
            return parsed;
        }
        for (String pair : text.split(",")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? "" : pair.substring(0, eq).trim();
            if (key.isEmpty() || parsed.put(key, pair.substring(eq + 1).trim()) != null) {
                throw new NormConfigException(INNER_OPTIONS.name(), String.format(
                        "norm '%s', option 'inner_options': '%s' %s; write key=value pairs separated by commas, "
                                + "each key once, e.g. gate=fixed", name(), pair.trim(),
                        key.isEmpty() ? "is not key=value" : "sets '" + key + "' twice"));
            }
        }
        return parsed;
    }
}

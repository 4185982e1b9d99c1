package org.normlab.engine.assembly;

import java.util.LinkedHashMap;
import java.util.Map;
import org.normlab.config.TrialConfig;
import org.normlab.norm.NormConfigException;
import org.normlab.norm.NormFactory;
import org.normlab.norm.NormOption;
import org.normlab.norm.NormRegistry;
import org.normlab.norm.noise.StandardizerWrapper;

/** Turns a trial's norm and attack settings into the factories a model is built with. */
public final class NormFactories {

    private NormFactories() {}

    /** The wrappers' option that carries the inner norm's options. */
    static final String INNER_OPTIONS = StandardizerWrapper.INNER_OPTIONS.name();

    /**
     * The body's norm: {@code norm.name} with its options, or, under an attack, the attack's
     * wrapper plugin around it ({@code inner} = norm.name, {@code inner_options} = norm.options). A wrapper that declares a
     * {@code seed} option and was given none gets the trial's seed.
     */
    public static NormFactory body(NormRegistry registry, TrialConfig config, long seed) {
        TrialConfig.NormConfig norm = config.norm();
        TrialConfig.AttackConfig attack = config.attack();
        if (attack.isNone()) {
            return registry.factory(norm.name(), norm.options());
        }
        registry.provider(norm.name());
        Map<String, Object> options = new LinkedHashMap<>(attack.options());
        if (!norm.options().isEmpty()) {
            if (options.containsKey(INNER_OPTIONS)) {
                throw new NormConfigException("norm.options",
                        "norm.options and attack.options." + INNER_OPTIONS + " both set the options of '" + norm.name()
                                + "' under the attack; set them in one place (norm.options)");
            }
            options.put(INNER_OPTIONS, innerOptions(norm.options()));
        }
        options.put("inner", norm.name());
        boolean takesSeed = registry.provider(attack.name()).options().stream()
                .map(NormOption::name).anyMatch("seed"::equals);
        if (takesSeed && !options.containsKey("seed")) {
            options.put("seed", (int) (seed & 0x7fffffff));
        }
        return registry.factory(attack.name(), options);
    }

    /** norm.options as the wrapper's inner_options text: {gate: fixed, momentum: 0.2} is "gate=fixed,momentum=0.2". */
    static String innerOptions(Map<String, Object> normOptions) {
        StringBuilder text = new StringBuilder();
        normOptions.forEach((k, v) -> {
            String value = String.valueOf(v);
            if (value.contains(",") || value.contains("=")) {
                throw new NormConfigException("norm.options." + k, "norm.options." + k + " is '" + value
                        + "': under an attack an option value cannot contain ',' or '='");
            }
            text.append(text.length() == 0 ? "" : ",").append(k).append('=').append(value);
        });
        return text.toString();
    }

    /**
     * The shortcut (downsample) norm: {@code same} is the body's, {@code bn} plain BN as the IEBN
     * authors use ({@code model.shortcut_norm}, {@code params --shortcut-norm}).
     */
    public static NormFactory shortcut(NormRegistry registry, String shortcutNorm, NormFactory body) {
        return "bn".equals(shortcutNorm) ? registry.factory("bn", Map.of()) : body;
    }
}

package org.normlab.engine.assembly;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.normlab.config.TrialConfig;
import org.normlab.norm.NormConfigException;
import org.normlab.norm.NormFactory;
import org.normlab.norm.NormOption;
import org.normlab.norm.NormRegistry;
import org.normlab.norm.Spelling;
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
        Choice body = bodyChoice(registry, config.norm(), config.attack(), seed);
        return registry.factory(body.name(), body.options());
    }

    /** A norm plugin by name with its raw options, as a factory is made from them. */
    public record Choice(String name, Map<String, Object> options) {}

    /** The body's plugin and options: {@link #body}'s, before the registry makes a factory of them. */
    public static Choice bodyChoice(NormRegistry registry, TrialConfig.NormConfig norm, TrialConfig.AttackConfig attack,
            long seed) {
        if (attack.isNone()) {
            return new Choice(norm.name(), norm.options());
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
        return new Choice(attack.name(), options);
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
     * The shortcut (downsample) norm: {@code same} is the body's, any other value the norm of
     * that name with its default options, e.g. plain BN as the IEBN authors use
     * ({@code model.shortcut_norm}, {@code params --shortcut-norm}).
     *
     * @throws NormConfigException with key {@link #SHORTCUT_KEY} for a name that is neither
     *     same nor a norm's, or for a norm that cannot be built with its default options
     */
    public static NormFactory shortcut(NormRegistry registry, String shortcutNorm, NormFactory body) {
        if (TrialConfig.ModelConfig.SAME_NORM.equals(shortcutNorm)) {
            return body;
        }
        if (!registry.names().contains(shortcutNorm)) {
            List<String> allowed = new ArrayList<>();
            allowed.add(TrialConfig.ModelConfig.SAME_NORM);
            allowed.addAll(registry.names());
            throw new NormConfigException(SHORTCUT_KEY, String.format("'%s' is neither %s nor a norm%s; allowed: %s",
                    shortcutNorm, TrialConfig.ModelConfig.SAME_NORM, Spelling.hint(String.valueOf(shortcutNorm), allowed),
                    String.join(", ", allowed)));
        }
        try {
            return registry.factory(shortcutNorm, Map.of());
        } catch (NormConfigException e) {
            throw new NormConfigException(SHORTCUT_KEY, "norm '" + shortcutNorm + "' as the shortcut norm: " + e.getMessage());
        }
    }

    /** The key of {@link #shortcut}'s errors. */
    public static final String SHORTCUT_KEY = "model.shortcut_norm";

    /** The norm that builds the shortcut norms: the body's for {@code same}, else the one named. */
    public static String shortcutName(TrialConfig config) {
        if (!config.model().sameShortcutNorm()) {
            return config.model().shortcutNorm();
        }
        return config.attack().isNone() ? config.norm().name() : config.attack().name();
    }
}

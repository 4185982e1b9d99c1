package org.normlab.experiments.wiring;

import java.util.LinkedHashMap;
import java.util.Map;
import org.normlab.experiments.config.TrialConfig;
import org.normlab.norm.NormConfigException;
import org.normlab.norm.NormFactory;
import org.normlab.norm.NormOption;
import org.normlab.norm.NormRegistry;

/** Turns a trial's norm and attack settings into the factories a model is built with. */
public final class NormFactories {

    private NormFactories() {}

    /**
     * The body's norm: {@code norm.name} with its options, or, under an attack, the attack's
     * wrapper plugin around it ({@code inner} = norm.name). A wrapper that declares a
     * {@code seed} option and was given none gets the trial's seed.
     */
    public static NormFactory body(NormRegistry registry, TrialConfig config, long seed) {
        TrialConfig.NormConfig norm = config.norm();
        TrialConfig.AttackConfig attack = config.attack();
        if (attack.isNone()) {
            return registry.factory(norm.name(), norm.options());
        }
        registry.provider(norm.name());
        if (!norm.options().isEmpty()) {
            throw new NormConfigException("norm.options",
                    "norm options cannot be combined with an attack: the attack's wrapper builds '"
                            + norm.name() + "' with its defaults; remove norm.options or set attack.name: none");
        }
        Map<String, Object> options = new LinkedHashMap<>(attack.options());
        options.put("inner", norm.name());
        boolean takesSeed = registry.provider(attack.name()).options().stream()
                .map(NormOption::name).anyMatch("seed"::equals);
        if (takesSeed && !options.containsKey("seed")) {
            options.put("seed", (int) (seed & 0x7fffffff));
        }
        return registry.factory(attack.name(), options);
    }

    /**
     * The shortcut (downsample) norm: {@code same} is the body's, {@code bn} plain BN as the IEBN
     * authors use ({@code model.shortcut_norm}, {@code params --shortcut-norm}).
     */
    public static NormFactory shortcut(NormRegistry registry, String shortcutNorm, NormFactory body) {
        return "bn".equals(shortcutNorm) ? registry.factory("bn", Map.of()) : body;
    }
}

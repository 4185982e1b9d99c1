package org.normlab.norm;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * The norms that are available: every {@link NormProvider} on a class path, by name. It checks
 * names and options once, up front, and hands out {@link NormFactory factories}.
 */
public final class NormRegistry {

    private final Map<String, NormProvider> providers;

    private NormRegistry(Map<String, NormProvider> providers) {
        this.providers = Collections.unmodifiableMap(providers);
    }

    /** Every provider that {@link ServiceLoader} finds through {@code loader}. */
    public static NormRegistry load(ClassLoader loader) {
        List<NormProvider> found = new ArrayList<>();
        try {
            ServiceLoader.load(NormProvider.class, loader).forEach(found::add);
        } catch (ServiceConfigurationError e) {
            throw new NormConfigException("a norm plugin could not be loaded: " + e.getMessage());
        }
        return of(found);
    }

    /** Every provider on the class path of this class. */
    public static NormRegistry load() {
        return load(NormRegistry.class.getClassLoader());
    }

    /**
     * A registry of exactly these providers.
     *
     * @throws NormConfigException when two providers share a name
     */
    public static NormRegistry of(Collection<? extends NormProvider> list) {
        Map<String, NormProvider> byName = new TreeMap<>();
        for (NormProvider p : list) {
            NormProvider twin = byName.putIfAbsent(p.name(), p);
            if (twin != null) {
                throw new NormConfigException(
                        String.format(
                                "two norm plugins are named '%s': %s and %s; rename or remove one",
                                p.name(), twin.getClass().getName(), p.getClass().getName()));
            }
        }
        return new NormRegistry(byName);
    }

    /** The providers, sorted by name. */
    public Collection<NormProvider> providers() {
        return providers.values();
    }

    public List<String> names() {
        return new ArrayList<>(providers.keySet());
    }

    /**
     * The provider with this name.
     *
     * @throws NormConfigException listing the known names when there is none
     */
    public NormProvider provider(String name) {
        NormProvider p = providers.get(name);
        if (p == null) {
            throw new NormConfigException(
                    "name",
                    String.format(
                            "unknown norm '%s'%s; known norms: %s",
                            name, Spelling.hint(String.valueOf(name), names()), String.join(", ", names())));
        }
        return p;
    }

    /**
     * Checks raw option values against what the named provider declares and fills in defaults.
     *
     * @throws NormConfigException for an unknown option, a bad value or a missing required one
     */
    public NormOptions validate(String name, Map<String, ?> raw) {
        NormProvider provider = provider(name);
        List<NormOption> declared = provider.options();
        List<String> accepted = declared.stream().map(NormOption::name).collect(Collectors.toList());
        for (String key : raw.keySet()) {
            if (!accepted.contains(key)) {
                throw new NormConfigException(
                        key,
                        String.format(
                                "norm '%s' has no option '%s'%s; it accepts: %s",
                                name,
                                key,
                                Spelling.hint(key, accepted),
                                accepted.isEmpty() ? "no options" : String.join(", ", accepted)));
            }
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (NormOption option : declared) {
            Object value = raw.containsKey(option.name()) ? raw.get(option.name()) : option.defaultValue();
            if (value == null) {
                throw new NormConfigException(
                        option.name(),
                        String.format(
                                "norm '%s' needs option '%s' (%s)", name, option.name(), option.allowed()));
            }
            try {
                values.put(option.name(), option.validate(value));
            } catch (NormConfigException e) {
                throw new NormConfigException(e.key(), "norm '" + name + "': " + e.getMessage());
            }
        }
        return new NormOptions(values);
    }

    /**
     * A factory for the named norm with these options, validated now so that a bad sweep fails
     * before training starts. The factory is tried once on a small channel count, so that a
     * provider that rejects its options fails here too.
     */
    public NormFactory factory(String name, Map<String, ?> rawOptions) {
        NormProvider provider = provider(name);
        NormOptions options = validate(name, rawOptions);
        try {
            provider.create(new NormSpec(4, options, this, 0));
        } catch (NormConfigException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new NormConfigException(
                    String.format(
                            "norm plugin '%s' (%s) failed to build a layer: %s",
                            name, provider.getClass().getName(), e));
        }
        AtomicInteger layers = new AtomicInteger();
        return channels -> provider.create(new NormSpec(channels, options, this, layers.getAndIncrement()));
    }
}

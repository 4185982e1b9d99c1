package org.normlab.norm;

import ai.djl.nn.Block;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
 * The norms that are available: every {@link NormProvider} on a class path, by name, with the
 * jar each came from ({@link ProviderSource}). It checks names and options once, up front, and
 * hands out {@link NormFactory factories}; a provider checks its options against the channel
 * count when the factory builds a layer of the model, with that layer's real channels.
 */
public final class NormRegistry {

    static final String SERVICES = "META-INF/services/" + NormProvider.class.getName();

    private final Map<String, NormProvider> providers;
    private final Map<String, ProviderSource> sources;

    private NormRegistry(Map<String, NormProvider> providers, Map<String, ProviderSource> sources) {
        this.providers = Collections.unmodifiableMap(providers);
        this.sources = Collections.unmodifiableMap(sources);
    }

    /**
     * Every provider that {@link ServiceLoader} finds through {@code loader}.
     *
     * @throws NormConfigException when two jars provide the same norm name, even as identical
     *     copies of one jar (ServiceLoader alone would quietly take the first)
     */
    public static NormRegistry load(ClassLoader loader) {
        List<NormProvider> found = new ArrayList<>();
        try {
            ServiceLoader.load(NormProvider.class, loader).forEach(found::add);
        } catch (ServiceConfigurationError e) {
            throw new NormConfigException("a norm plugin could not be loaded: " + e.getMessage());
        }
        Map<String, List<String>> listedBy = servicesFiles(loader);
        for (NormProvider p : found) {
            List<String> jars = listedBy.getOrDefault(p.getClass().getName(), List.of());
            if (jars.size() > 1) {
                throw twoJars(p.name(), jars.get(0), jars.get(1));
            }
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
     * @throws NormConfigException when two providers share a name, naming both jars
     */
    public static NormRegistry of(Collection<? extends NormProvider> list) {
        Map<String, NormProvider> byName = new TreeMap<>();
        Map<String, ProviderSource> sources = new TreeMap<>();
        for (NormProvider p : list) {
            ProviderSource source = ProviderSource.of(p.getClass());
            NormProvider twin = byName.putIfAbsent(p.name(), p);
            if (twin != null) {
                ProviderSource first = sources.get(p.name());
                throw new NormConfigException(String.format(
                        "two norm plugins are named '%s': %s (%s) and %s (%s); remove one jar or rename one norm",
                        p.name(), twin.getClass().getName(), first.location(), p.getClass().getName(), source.location()));
            }
            sources.put(p.name(), source);
        }
        return new NormRegistry(byName, sources);
    }

    /** Where the named norm's provider came from. */
    public ProviderSource source(String name) {
        provider(name);
        return sources.get(name);
    }

    /** Class name to the jars (or class folders) whose services file lists it, in class-path order. */
    private static Map<String, List<String>> servicesFiles(ClassLoader loader) {
        Map<String, List<String>> listedBy = new LinkedHashMap<>();
        try {
            for (URL url : Collections.list(loader.getResources(SERVICES))) {
                String where = containerOf(url);
                try (BufferedReader in = new BufferedReader(new InputStreamReader(url.openStream(), StandardCharsets.UTF_8))) {
                    for (String line : in.lines().toList()) {
                        String name = line.replaceAll("#.*", "").trim();
                        if (!name.isEmpty()) {
                            List<String> jars = listedBy.computeIfAbsent(name, k -> new ArrayList<>());
                            if (!jars.contains(where)) {
                                jars.add(where);
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new NormConfigException("cannot read the norm plugins' services files: " + e.getMessage());
        }
        return listedBy;
    }

    /** The jar or folder a services-file URL lies in. */
    private static String containerOf(URL url) {
        String text = url.toString();
        String inner = text.startsWith("jar:") ? text.substring(4, text.lastIndexOf("!/")) : text.substring(0, text.length() - SERVICES.length());
        try {
            return Path.of(URI.create(inner)).toString();
        } catch (IllegalArgumentException e) {
            return inner;
        }
    }

    private static NormConfigException twoJars(String norm, String first, String second) {
        return new NormConfigException(String.format(
                "two jars provide norm '%s': %s and %s; keep one of them (a plugin must be in plugins/ only once)",
                norm, first, second));
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
     * before training starts. Whether the options fit a layer's channel count (GroupNorm's
     * groups) is checked when the model is built, with each layer's real channels; a sweep's
     * validator builds every model once for that.
     */
    public NormFactory factory(String name, Map<String, ?> rawOptions) {
        NormProvider provider = provider(name);
        NormOptions options = validate(name, rawOptions);
        try {
            provider.validate(options, this);
        } catch (NormConfigException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new NormConfigException(String.format(
                    "norm plugin '%s' (%s) failed to check its options: %s", name, provider.getClass().getName(), e));
        }
        return new ProviderFactory(name, provider, options);
    }

    /** Builds one provider's layers, numbering them, and names the plugin when one fails. */
    private final class ProviderFactory implements NormFactory {

        private final String name;
        private final NormProvider provider;
        private final NormOptions options;
        private final AtomicInteger layers = new AtomicInteger();

        ProviderFactory(String name, NormProvider provider, NormOptions options) {
            this.name = name;
            this.provider = provider;
            this.options = options;
        }

        @Override
        public Block create(int channels) {
            return create(channels, true);
        }

        @Override
        public Block create(int channels, boolean applyActivation) {
            NormSpec spec = new NormSpec(channels, options, NormRegistry.this, layers.getAndIncrement(),
                    applyActivation || !provider.carriesActivation());
            try {
                return provider.create(spec);
            } catch (NormConfigException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new NormConfigException(String.format(
                        "norm plugin '%s' (%s) failed to build a layer of %d channels: %s",
                        name, provider.getClass().getName(), channels, e));
            }
        }

        @Override
        public boolean carriesActivation() {
            return provider.carriesActivation();
        }
    }
}

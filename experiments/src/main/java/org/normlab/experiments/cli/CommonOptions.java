package org.normlab.experiments.cli;

import com.google.inject.Guice;
import com.google.inject.Injector;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.normlab.results.UserError;
import org.normlab.experiments.wiring.CoreModule;
import org.normlab.norm.NormRegistry;
import picocli.CommandLine.Option;

/** Options every command takes: where plugins are, and how much to say on errors. */
public class CommonOptions {

    static final Path DEFAULT_PLUGINS = Path.of("plugins");

    @Option(names = "--plugins", paramLabel = "DIR",
            description = "folder of norm plugin jars to load (default: plugins/ in the working directory, if present)")
    Path plugins;

    @Option(names = "--verbose", description = "print stack traces and DJL's own logging")
    boolean verbose;

    /** The norms on the class path plus those in the plugins folder's jars. */
    public NormRegistry registry() {
        return NormRegistry.load(pluginClassLoader());
    }

    /**
     * The plugins folder in use: --plugins, else plugins/ in the working directory when it is
     * there; null when there is none.
     */
    Path pluginsFolder() {
        Path dir = plugins != null ? plugins : DEFAULT_PLUGINS;
        if (!Files.isDirectory(dir)) {
            if (plugins != null) {
                throw new UserError("--plugins " + plugins + ": no such folder");
            }
            return null;
        }
        return dir;
    }

    /** The composition root's core: the norms, model families and datasets of the class path and the plugins. */
    Injector coreInjector() {
        ClassLoader loader = pluginClassLoader();
        return Guice.createInjector(new CoreModule(NormRegistry.load(loader), loader));
    }

    ClassLoader pluginClassLoader() {
        ClassLoader parent = CommonOptions.class.getClassLoader();
        Path dir = pluginsFolder();
        if (dir == null) {
            return parent;
        }
        List<URL> jars = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path jar : files.filter(f -> f.toString().endsWith(".jar")).sorted().toList()) {
                jars.add(jar.toUri().toURL());
            }
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UserError(dir + ": cannot list plugin jars: " + e.getMessage());
        }
        return jars.isEmpty() ? parent : new URLClassLoader(jars.toArray(URL[]::new), parent);
    }
}

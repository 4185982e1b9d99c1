package org.normlab.experiments.cli;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.normlab.experiments.UserError;
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

    ClassLoader pluginClassLoader() {
        ClassLoader parent = CommonOptions.class.getClassLoader();
        Path dir = plugins != null ? plugins : DEFAULT_PLUGINS;
        if (!Files.isDirectory(dir)) {
            if (plugins != null) {
                throw new UserError("--plugins " + plugins + ": no such folder");
            }
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

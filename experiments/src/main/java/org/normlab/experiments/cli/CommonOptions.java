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
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.normlab.engine.Stop;
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
        return coreInjector(new Stop());
    }

    /** The same, its trials honouring {@code stop}. */
    Injector coreInjector(Stop stop) {
        ClassLoader loader = pluginClassLoader();
        return Guice.createInjector(new CoreModule(NormRegistry.load(loader), loader), binder -> binder.bind(Stop.class).toInstance(stop));
    }

    ClassLoader pluginClassLoader() {
        ClassLoader parent = CommonOptions.class.getClassLoader();
        Path dir = pluginsFolder();
        if (dir == null) {
            return parent;
        }
        List<URL> jars = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path jar : files.filter(CommonOptions::isJarName).sorted().toList()) {
                checkReadableJar(jar);
                jars.add(jar.toUri().toURL());
            }
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UserError(dir + ": cannot list plugin jars: " + e.getMessage());
        }
        return jars.isEmpty() ? parent : new URLClassLoader(jars.toArray(URL[]::new), parent);
    }

    /**
     * The plugins folder's entries that are loaded: names ending in .jar (any case). Other files
     * (a README.txt, notes) are left alone, as README.md says.
     */
    static boolean isJarName(Path file) {
        return file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".jar");
    }

    /**
     * A .jar in the plugins folder must open as a jar: a class loader would skip one that does
     * not without a word, and the sweep would then run without the norms it was meant to have.
     */
    static void checkReadableJar(Path jar) {
        String problem;
        if (Files.isDirectory(jar)) {
            problem = "is a folder, not a jar file";
        } else if (!Files.isRegularFile(jar)) {
            problem = Files.exists(jar, java.nio.file.LinkOption.NOFOLLOW_LINKS) && !Files.exists(jar)
                    ? "is a link to nothing" : "is not a regular file";
        } else if (!Files.isReadable(jar)) {
            problem = "cannot be read (permissions)";
        } else {
            try (JarFile file = new JarFile(jar.toFile())) {
                file.getManifest(); // reads the central directory and the manifest, as the class loader will
                return;
            } catch (IOException | SecurityException e) {
                problem = "is not a readable jar (" + e.getMessage() + ")";
            }
        }
        throw new UserError("plugin " + jar + " " + problem
                + "; every *.jar in the plugins folder is loaded: replace it with a working build of the plugin, or move it out");
    }
}

package org.normlab.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import javax.tools.ToolProvider;

/**
 * Builds plugin jars at test time: a norm plugin (one provider class compiled against the SPI,
 * plus its services file), or the model-and-dataset plugin of the test sources org/example/vgg.
 */
final class PluginJars {

    private PluginJars() {}

    /**
     * @param jar where to write the jar
     * @param className the provider's fully qualified name
     * @param source its Java source
     */
    static void build(Path jar, String className, String source) throws IOException {
        Path work = Files.createTempDirectory("plugin-src");
        Path src = work.resolve("src/" + className.replace('.', '/') + ".java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, source);
        Path classes = work.resolve("classes");
        Files.createDirectories(classes);
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        int rc = ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", classes.toString(), "-cp", cp, src.toString());
        assertEquals(0, rc, "the plugin must compile against the SPI");
        Files.createDirectories(jar.toAbsolutePath().getParent());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            try (var files = Files.walk(classes)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                    out.write(Files.readAllBytes(f));
                }
            }
            out.putNextEntry(new JarEntry("META-INF/services/org.normlab.norm.NormProvider"));
            out.write((className + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * The test sources' org/example/vgg (a small VGG model family and the stripes dataset, added
     * by a Guice module) packed into a jar of their own with the services file that names the module.
     */
    static void vggPlugin(Path jar) throws IOException {
        Path classes = Path.of("target", "test-classes");
        Files.createDirectories(jar.toAbsolutePath().getParent());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                var files = Files.walk(classes.resolve("org/example/vgg"))) {
            int n = 0;
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                out.write(Files.readAllBytes(f));
                n++;
            }
            assertTrue(n >= 3, "the plugin's classes are compiled test classes: " + n);
            out.putNextEntry(new JarEntry("META-INF/services/com.google.inject.Module"));
            out.write("org.example.vgg.VggPlugin\n".getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Source of a provider named {@code name} in package org.example whose create() body is given. */
    static String provider(String simpleName, String name, String createBody) {
        return String.join("\n",
                "package org.example;",
                "import ai.djl.nn.*;",
                "import java.util.List;",
                "import org.normlab.norm.*;",
                "public final class " + simpleName + " implements NormProvider {",
                "    public String name() { return \"" + name + "\"; }",
                "    public String description() { return \"test plugin " + name + "\"; }",
                "    public List<NormOption> options() { return List.of(); }",
                "    public Block create(NormSpec spec) {",
                "        " + createBody,
                "    }",
                "}",
                "");
    }
}

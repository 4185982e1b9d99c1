package org.normlab.norm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.normlab.norm.testing.ScaledIdentityProvider;

class ProviderSourceTest {

    @TempDir Path dir;

    @Test
    void aProviderOnNormLabsOwnClassPathIsBuiltIn() {
        ProviderSource source = NormRegistry.load().source("scaled-identity");
        assertTrue(source.builtIn());
        assertEquals("built in", source.location());
        assertNull(source.sha256());
        assertEquals(ScaledIdentityProvider.class.getName(), source.providerClass());
    }

    @Test
    void aPluginJarIsRecordedWithItsVersionAndSha256() throws Exception {
        Path jar = pluginJar("gn-plugin.jar", "2.5.1", TestPlugin.class);
        try (URLClassLoader loader = isolated(jar)) {
            NormRegistry registry = NormRegistry.load(loader);
            ProviderSource source = registry.source("test-plugin");
            assertEquals(jar, source.jar());
            assertEquals("2.5.1", source.version());
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(jar));
            assertEquals(HexFormat.of().formatHex(digest), source.sha256());
            assertTrue(source.describe().startsWith(jar + ", version 2.5.1, sha256 " + source.sha256().substring(0, 8)),
                    source.describe());
        }
    }

    @Test
    void twoIdenticalCopiesOfAPluginJarAreAnErrorNamingBoth() throws Exception {
        Path first = pluginJar("a.jar", "1.0", TestPlugin.class);
        Path second = dir.resolve("b.jar");
        Files.copy(first, second);
        try (URLClassLoader loader = isolated(first, second)) {
            NormConfigException e = assertThrows(NormConfigException.class, () -> NormRegistry.load(loader));
            assertTrue(e.getMessage().contains("two jars provide norm 'test-plugin'"), e.getMessage());
            assertTrue(e.getMessage().contains(first.toString()) && e.getMessage().contains(second.toString()),
                    e.getMessage());
        }
    }

    @Test
    void twoVersionsOfAPluginAreAnErrorNamingBothJars() throws Exception {
        Path old = pluginJar("gn-1.0.jar", "1.0", TestPlugin.class);
        Path newer = pluginJar("gn-1.1.jar", "1.1", TestPlugin.class);
        assertNotEquals(ProviderSource.sha256(old), ProviderSource.sha256(newer));
        try (URLClassLoader loader = isolated(old, newer)) {
            NormConfigException e = assertThrows(NormConfigException.class, () -> NormRegistry.load(loader));
            assertTrue(e.getMessage().contains(old.toString()) && e.getMessage().contains(newer.toString()),
                    e.getMessage());
        }
    }

    /** The jars over the test class path, the plugin class taken from the jars (child first). */
    private static URLClassLoader isolated(Path... jars) throws IOException {
        URL[] urls = new URL[jars.length];
        for (int i = 0; i < jars.length; i++) {
            urls[i] = jars[i].toUri().toURL();
        }
        return new URLClassLoader(urls, ProviderSourceTest.class.getClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (!name.equals(TestPlugin.class.getName())) {
                    return super.loadClass(name, resolve);
                }
                synchronized (getClassLoadingLock(name)) {
                    Class<?> c = findLoadedClass(name);
                    return c != null ? c : findClass(name);
                }
            }
        };
    }

    private Path pluginJar(String file, String version, Class<?> provider) throws IOException {
        Path jar = dir.resolve(file);
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, version);
        String classFile = provider.getName().replace('.', '/') + ".class";
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jos = new JarOutputStream(out, manifest)) {
            jos.putNextEntry(new JarEntry("META-INF/services/" + NormProvider.class.getName()));
            jos.write((provider.getName() + "\n").getBytes(StandardCharsets.UTF_8));
            jos.putNextEntry(new JarEntry(classFile));
            try (var in = provider.getClassLoader().getResourceAsStream(classFile)) {
                in.transferTo(jos);
            }
        }
        return jar;
    }

    /** The plugin packed into the test jars. */
    public static final class TestPlugin implements NormProvider {
        public String name() {
            return "test-plugin";
        }

        public String description() {
            return "";
        }

        public List<NormOption> options() {
            return List.of();
        }

        public ai.djl.nn.Block create(NormSpec spec) {
            return null;
        }
    }
}

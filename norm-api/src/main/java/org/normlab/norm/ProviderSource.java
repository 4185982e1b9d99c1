package org.normlab.norm;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * Where a norm provider came from: NormLab itself ("built in") or a plugin jar, with the jar's
 * version and SHA-256, so results can say which plugin build produced them.
 *
 * @param providerClass the provider's class name
 * @param jar the plugin jar (or class folder), null when built in
 * @param version the jar manifest's {@code Implementation-Version} (NormLab's own when built
 *     in), or null when the manifest has none
 * @param sha256 the SHA-256 in hex of the jar file the provider's class was loaded from: the
 *     plugin jar, or for a built-in provider NormLab's own (fat) jar, so that a rebuilt NormLab
 *     is told from the old one; null when the class came from a folder (target/classes in
 *     Maven's tests or an IDE), not a file
 */
public record ProviderSource(String providerClass, Path jar, String version, String sha256) {

    static final String BUILT_IN = "built in";

    public boolean builtIn() {
        return jar == null;
    }

    /** {@code built in} or the jar's path. */
    public String location() {
        return builtIn() ? BUILT_IN : jar.toString();
    }

    /** For {@code norms}: {@code plugins/gn.jar, version 1.0, sha256 3f2a...}. */
    public String describe() {
        String v = "version " + (version == null ? "unknown" : version);
        return location() + ", " + v + (sha256 == null ? "" : ", sha256 " + sha256);
    }

    /**
     * The source of {@code type}: built in when NormLab's own class loader loaded it (with the
     * SHA-256 of the jar it lies in, NormLab's fat jar when run with {@code java -jar}), otherwise
     * the jar its code came from.
     */
    static ProviderSource of(Class<?> type) {
        if (type.getClassLoader() == NormRegistry.class.getClassLoader()) {
            Path own = location(type);
            String sha = own != null && Files.isRegularFile(own) ? sha256Once(own) : null;
            return new ProviderSource(type.getName(), null, NormRegistry.class.getPackage().getImplementationVersion(), sha);
        }
        Path jar = location(type);
        if (jar == null || !Files.isRegularFile(jar)) {
            return new ProviderSource(type.getName(), jar, null, null);
        }
        return new ProviderSource(type.getName(), jar, manifestVersion(jar), sha256(jar));
    }

    private static Path location(Class<?> type) {
        CodeSource code = type.getProtectionDomain().getCodeSource();
        if (code == null || code.getLocation() == null) {
            return null;
        }
        try {
            return Path.of(code.getLocation().toURI());
        } catch (URISyntaxException | IllegalArgumentException e) {
            return null;
        }
    }

    private static String manifestVersion(Path jar) {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            return manifest == null ? null : manifest.getMainAttributes().getValue("Implementation-Version");
        } catch (IOException e) {
            return null;
        }
    }

    /** Every built-in provider lies in the same (large) fat jar: it is read once per process. */
    private static final Map<Path, String> HASHED = new ConcurrentHashMap<>();

    private static String sha256Once(Path jar) {
        return HASHED.computeIfAbsent(jar, ProviderSource::sha256);
    }

    static String sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new NormConfigException("cannot read the jar of a norm provider, " + file + ": " + e.getMessage());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

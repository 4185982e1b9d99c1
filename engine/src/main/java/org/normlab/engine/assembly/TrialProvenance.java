package org.normlab.engine.assembly;

import java.util.ArrayList;
import java.util.List;
import org.normlab.config.TrialConfig;
import org.normlab.norm.NormRegistry;
import org.normlab.norm.ProviderSource;
import org.normlab.results.Provenance;

/**
 * The {@link Provenance} of a trial: NormLab's version and the sources the registry found for
 * every norm provider the trial's settings name (it reads each jar's SHA-256 once, when it loads).
 */
public final class TrialProvenance {

    private TrialProvenance() {}

    /** NormLab's version from the fat jar's manifest; null when not run from a jar. */
    public static String normlabVersion() {
        return TrialProvenance.class.getPackage().getImplementationVersion();
    }

    /**
     * NormLab's git commit from the fat jar's manifest ({@code Git-Commit}, which bin/normlab's
     * build sets: {@code git describe --always --dirty --abbrev=40}); null when not run from a
     * jar or the build did not set it.
     */
    public static String normlabCommit() {
        return COMMIT;
    }

    private static final String COMMIT = manifestCommit();

    private static String manifestCommit() {
        try {
            java.security.CodeSource code = TrialProvenance.class.getProtectionDomain().getCodeSource();
            java.nio.file.Path jar = code == null ? null : java.nio.file.Path.of(code.getLocation().toURI());
            if (jar == null || !java.nio.file.Files.isRegularFile(jar)) {
                return null;
            }
            try (java.util.jar.JarFile file = new java.util.jar.JarFile(jar.toFile())) {
                java.util.jar.Manifest m = file.getManifest();
                String commit = m == null ? null : m.getMainAttributes().getValue("Git-Commit");
                return commit == null || commit.isBlank() ? null : commit.strip();
            }
        } catch (java.io.IOException | java.net.URISyntaxException | RuntimeException e) {
            return null; // no commit is recorded rather than a wrong one
        }
    }

    public static Provenance of(NormRegistry registry, TrialConfig config) {
        List<Provenance.NormSource> norms = new ArrayList<>();
        String norm = config.norm().name();
        String body = config.attack().isNone() ? norm : config.attack().name();
        norms.add(source(registry, "body", body));
        if (!config.attack().isNone()) {
            norms.add(source(registry, "wrapped", norm));
        }
        norms.add(source(registry, "shortcut", NormFactories.shortcutName(config)));
        return new Provenance(normlabVersion(), normlabCommit(), norms);
    }

    private static Provenance.NormSource source(NormRegistry registry, String role, String name) {
        ProviderSource s = registry.source(name);
        return new Provenance.NormSource(role, name, s.providerClass(),
                s.jar() == null ? null : s.jar().getFileName().toString(), s.version(), s.sha256());
    }
}

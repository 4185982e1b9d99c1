package org.normlab.experiments.wiring;

import java.util.ArrayList;
import java.util.List;
import org.normlab.experiments.config.TrialConfig;
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
     * NormLab's git commit: not recorded yet (no build-time plugin for it is available offline),
     * so always null; the field is in the format for when the jar carries one.
     */
    public static String normlabCommit() {
        return null;
    }

    public static Provenance of(NormRegistry registry, TrialConfig config) {
        List<Provenance.NormSource> norms = new ArrayList<>();
        String norm = config.norm().name();
        String body = config.attack().isNone() ? norm : config.attack().name();
        norms.add(source(registry, "body", body));
        if (!config.attack().isNone()) {
            norms.add(source(registry, "wrapped", norm));
        }
        norms.add(source(registry, "shortcut", "bn".equals(config.model().shortcutNorm()) ? "bn" : body));
        return new Provenance(normlabVersion(), normlabCommit(), norms);
    }

    private static Provenance.NormSource source(NormRegistry registry, String role, String name) {
        ProviderSource s = registry.source(name);
        return new Provenance.NormSource(role, name, s.providerClass(),
                s.jar() == null ? null : s.jar().getFileName().toString(), s.version(), s.sha256());
    }
}

package org.normlab.results;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Which code produced a trial (result.json's {@code provenance}, see RESULTS-FORMAT.md): NormLab's
 * own version and, where its jar knows it, git commit, and every norm provider the trial used.
 * A rerun compares the recorded provenance with the current one: a trial whose provenance
 * {@linkplain #differencesFrom differs} is stale.
 *
 * @param normlabVersion NormLab's version ({@code Implementation-Version}), null when unknown
 * @param normlabCommit the git commit NormLab was built from, null when its jar does not say
 * @param norms one entry per role in which a norm provider was used, in a fixed order
 */
public record Provenance(String normlabVersion, String normlabCommit, List<NormSource> norms) {

    /** The roles of {@link NormSource#role()}, in the order they are listed. */
    public static final List<String> ROLES = List.of("body", "wrapped", "shortcut");

    public Provenance {
        norms = norms == null ? List.of() : List.copyOf(norms);
    }

    /**
     * One norm provider as a trial used it.
     *
     * @param role {@code body} (what builds the blocks' norm layers: norm.name, or under an attack
     *     the attack's wrapper plugin, attack.name), {@code wrapped} (under an attack only: the norm
     *     the wrapper wraps, norm.name), {@code shortcut} (what builds the projection shortcuts'
     *     norm: the body's, or bn for {@code model.shortcut_norm: bn})
     * @param name the provider's norm name
     * @param providerClass the provider's class name
     * @param jar the plugin jar's file name, null when the provider is built into NormLab
     * @param version the jar's {@code Implementation-Version}, null when it has none
     * @param sha256 the SHA-256 in hex of the jar file the provider was loaded from: the plugin
     *     jar, or NormLab's own fat jar when built in; null when it was loaded from a class
     *     folder (target/classes), and in results written before built-in norms recorded it
     */
    public record NormSource(
            String role,
            String name,
            @JsonProperty("class") String providerClass,
            String jar,
            String version,
            String sha256) {

        /** For messages: {@code gn (org.x.GnProvider, gn-plugin.jar 1.0, sha256 3f2a9c1e...)}. */
        public String describe() {
            String where = (jar == null ? "built in" : jar + (version == null ? "" : " " + version))
                    + (sha256 == null ? "" : ", sha256 " + sha256.substring(0, Math.min(12, sha256.length())));
            return name + " (" + providerClass + ", " + where + ")";
        }
    }

    /**
     * What differs between this (recorded) provenance and {@code current}, one phrase each
     * ({@code "body: gn (... sha256 3f2a...) is now gn (... sha256 9b01...)"}); empty when they agree.
     * A missing recorded provenance (a result.json from before NormLab recorded one) differs.
     */
    public static List<String> differences(Provenance recorded, Provenance current) {
        if (recorded == null) {
            return List.of("no provenance recorded (an older NormLab wrote this result)");
        }
        return recorded.differencesFrom(current);
    }

    /** See {@link #differences(Provenance, Provenance)}. */
    public List<String> differencesFrom(Provenance current) {
        List<String> out = new ArrayList<>();
        if (!Objects.equals(normlabVersion, current.normlabVersion)) {
            out.add("NormLab " + normlabVersion + " is now " + current.normlabVersion);
        }
        if (!Objects.equals(normlabCommit, current.normlabCommit)) {
            out.add("NormLab commit " + normlabCommit + " is now " + current.normlabCommit);
        }
        Map<String, NormSource> was = byRole(norms);
        Map<String, NormSource> now = byRole(current.norms);
        for (String role : ROLES) {
            NormSource a = was.get(role);
            NormSource b = now.get(role);
            if (!Objects.equals(a, b)) {
                out.add(role + ": " + (a == null ? "none" : a.describe()) + " is now " + (b == null ? "none" : b.describe()));
            }
        }
        return out;
    }

    private static Map<String, NormSource> byRole(List<NormSource> norms) {
        Map<String, NormSource> m = new LinkedHashMap<>();
        norms.forEach(n -> m.put(n.role(), n));
        return m;
    }
}

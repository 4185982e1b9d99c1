package org.normlab.results;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** result.json's provenance: its spelling in the file, and what a stale check reports. */
class ProvenanceTest {

    private static final String SHA_A = "a".repeat(64);
    private static final String SHA_B = "b".repeat(64);

    private static Provenance with(String sha, String commit) {
        return new Provenance("0.1.0", commit, List.of(
                new Provenance.NormSource("body", "gn", "org.x.Gn", "gn.jar", "1.0", sha),
                new Provenance.NormSource("shortcut", "bn", "org.normlab.norm.bn.BatchNormProvider", null, "0.1.0", null)));
    }

    @Test
    void isWrittenInSnakeCaseWithClassAndReadBack() throws Exception {
        Provenance p = with(SHA_A, "c0ffee");
        JsonNode json = ResultStore.JSON.valueToTree(p);
        assertEquals("0.1.0", json.get("normlab_version").asText());
        assertEquals("c0ffee", json.get("normlab_commit").asText());
        JsonNode body = json.get("norms").get(0);
        assertEquals(List.of("role", "name", "class", "jar", "version", "sha256"), fields(body));
        assertEquals("org.x.Gn", body.get("class").asText());
        assertEquals(p, ResultStore.JSON.treeToValue(json, Provenance.class));
    }

    @Test
    void differencesNameWhatChanged() {
        assertEquals(List.of(), with(SHA_A, "c").differencesFrom(with(SHA_A, "c")));
        assertEquals(List.of("body: gn (org.x.Gn, gn.jar 1.0, sha256 aaaaaaaaaaaa) is now gn (org.x.Gn, gn.jar 1.0, sha256 bbbbbbbbbbbb)"),
                with(SHA_A, "c").differencesFrom(with(SHA_B, "c")));
        assertEquals(List.of("NormLab commit c is now d"), with(SHA_A, "c").differencesFrom(with(SHA_A, "d")));
        Provenance attacked = new Provenance("0.1.0", "c", List.of(with(SHA_A, "c").norms().get(0),
                new Provenance.NormSource("wrapped", "iebn", "org.normlab.norm.iebn.IebnProvider", null, "0.1.0", null),
                with(SHA_A, "c").norms().get(1)));
        assertEquals(List.of("wrapped: none is now iebn (org.normlab.norm.iebn.IebnProvider, built in)"),
                with(SHA_A, "c").differencesFrom(attacked));
        assertEquals(List.of("no provenance recorded (an older NormLab wrote this result)"),
                Provenance.differences(null, with(SHA_A, "c")));
    }

    @Test
    void aBuiltInNormFromAnotherNormLabJarDiffersThoughNameVersionAndCommitAgree() {
        Provenance before = builtIn(SHA_A);
        assertEquals(List.of(), before.differencesFrom(builtIn(SHA_A)));
        assertEquals(List.of(
                        "body: bn (org.normlab.norm.bn.BatchNormProvider, built in, sha256 aaaaaaaaaaaa) is now bn (org.normlab.norm.bn.BatchNormProvider, built in, sha256 bbbbbbbbbbbb)",
                        "shortcut: bn (org.normlab.norm.bn.BatchNormProvider, built in, sha256 aaaaaaaaaaaa) is now bn (org.normlab.norm.bn.BatchNormProvider, built in, sha256 bbbbbbbbbbbb)"),
                before.differencesFrom(builtIn(SHA_B)));
        // A result written before built-in norms recorded their jar's SHA-256 is stale under a jar that does.
        assertEquals(2, builtIn(null).differencesFrom(builtIn(SHA_A)).size());
    }

    /** bn built into a NormLab jar with this SHA-256, no commit known (a plain mvn package). */
    private static Provenance builtIn(String sha) {
        return new Provenance("0.1.0-SNAPSHOT", null, List.of(
                new Provenance.NormSource("body", "bn", "org.normlab.norm.bn.BatchNormProvider", null, "0.1.0-SNAPSHOT", sha),
                new Provenance.NormSource("shortcut", "bn", "org.normlab.norm.bn.BatchNormProvider", null, "0.1.0-SNAPSHOT", sha)));
    }

    private static List<String> fields(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}

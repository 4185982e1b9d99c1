package org.normlab.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plugin jar swapped for another build between two runs of a sweep: its trials are reported
 * stale (run output, --dry-run, report), not silently reused, and --rerun-stale reruns exactly
 * those; result.json records each provider's class, jar and SHA-256.
 */
class ProvenanceIT {

    private static final String SWEEP = String.join("\n",
            "name: prov",
            "seeds: [1]",
            "epochs: 1",
            "device: cpu",
            "checkpoints: false",
            "data:",
            "  name: synthetic",
            "  batch_size: 16",
            "  synthetic: {classes: 3, channels: 1, size: 8, train: 64, val: 32}",
            "model: {name: cifar_resnet, depth: 8}",
            "grid:",
            "  norm.name: [bn, half-bn]",
            "");

    @TempDir Path work;

    /** bn at momentum / divisor: two builds with different bytes (and so SHA-256). */
    private static String source(int divisor) {
        return PluginJars.provider("HalfBn", "half-bn",
                "java.util.Map<String, Object> o = new java.util.HashMap<>();"
                        + " o.put(\"momentum\", 0.1 / " + divisor + ");"
                        + " return spec.registry().factory(\"bn\", o).create(spec.channels());");
    }

    @Test
    void aChangedPluginJarMakesItsTrialsStaleAndRerunStaleRerunsExactlyThose() throws Exception {
        Path jar = work.resolve("plugins/half-bn.jar");
        PluginJars.build(jar, "org.example.HalfBn", source(2));
        String firstSha = sha256(jar);
        Files.writeString(work.resolve("prov.yaml"), SWEEP);

        Jar.Run first = Jar.run(work, "prov.yaml", "--out", "runs");
        assertEquals(0, first.exit(), first.all());
        Path dir = work.resolve("runs/prov");
        JsonNode trials = new ObjectMapper().readTree(dir.resolve("trials.json").toFile());
        assertEquals(2, trials.size());
        String bnId = trials.get(0).get("trial_id").asText();
        String pluginId = trials.get(1).get("trial_id").asText();
        JsonNode plugin = result(dir, pluginId).get("provenance");
        JsonNode body = plugin.get("norms").get(0);
        assertEquals("body", body.get("role").asText());
        assertEquals("half-bn", body.get("name").asText());
        assertEquals("org.example.HalfBn", body.get("class").asText());
        assertEquals("half-bn.jar", body.get("jar").asText());
        assertEquals(firstSha, body.get("sha256").asText());
        assertEquals("shortcut", plugin.get("norms").get(1).get("role").asText());
        assertEquals(2, plugin.get("norms").size(), plugin.toString());
        assertEquals("0.1.0-SNAPSHOT", plugin.get("normlab_version").asText());
        // The commit is the manifest's Git-Commit (bin/normlab's build sets it; a plain build leaves it empty).
        String commit;
        try (java.util.jar.JarFile fat = new java.util.jar.JarFile(Jar.JAR.toFile())) {
            commit = fat.getManifest().getMainAttributes().getValue("Git-Commit");
        }
        if (commit == null || commit.isBlank()) {
            assertTrue(plugin.get("normlab_commit").isNull(), plugin.toString());
        } else {
            assertEquals(commit, plugin.get("normlab_commit").asText());
        }
        JsonNode bn = result(dir, bnId).get("provenance").get("norms").get(0);
        assertEquals("org.normlab.norm.bn.BatchNormProvider", bn.get("class").asText(), bn.toString());
        assertTrue(bn.get("jar").isNull(), "bn is built in: " + bn);
        assertEquals(sha256(Jar.JAR), bn.get("sha256").asText(), "a built-in norm records NormLab's fat jar: " + bn);

        Jar.Run same = Jar.run(work, "prov.yaml", "--out", "runs");
        assertEquals(0, same.exit(), same.all());
        assertEquals(2, count(same.out(), "already completed, skipped"), same.out());
        assertFalse(same.out().contains("stale"), same.out());
        assertFalse(Files.exists(dir.resolve("stale.json")));

        PluginJars.build(jar, "org.example.HalfBn", source(3));
        String secondSha = sha256(jar);
        assertNotEquals(firstSha, secondSha);
        String finishedBefore = result(dir, pluginId).get("finished_at").asText();

        Jar.Run dry = Jar.run(work, "prov.yaml", "--out", "runs", "--dry-run");
        assertEquals(0, dry.exit(), dry.all());
        String pluginLine = line(dry.out(), pluginId);
        assertTrue(pluginLine.contains("[completed, stale: body: half-bn") && pluginLine.contains(secondSha.substring(0, 12))
                && pluginLine.endsWith("skipped]"), dry.out());
        assertTrue(line(dry.out(), bnId).endsWith("[completed, skipped]"), dry.out());
        assertTrue(dry.out().contains("1 stale trial(s)"), dry.out());

        Jar.Run stale = Jar.run(work, "prov.yaml", "--out", "runs");
        assertEquals(0, stale.exit(), stale.all());
        assertTrue(line(stale.out(), pluginId).contains("already completed but stale: body: half-bn"), stale.out());
        assertTrue(line(stale.out(), bnId).contains("already completed, skipped"), stale.out());
        assertEquals(finishedBefore, result(dir, pluginId).get("finished_at").asText(), "a stale trial is not rerun");
        JsonNode staleJson = new ObjectMapper().readTree(dir.resolve("stale.json").toFile());
        assertEquals(List.of(pluginId), fieldNames(staleJson), staleJson.toString());
        String report = Files.readString(dir.resolve("report/report.md"));
        assertTrue(report.contains("# Stale trials") && report.contains(pluginId), report);

        Jar.Run rerun = Jar.run(work, "prov.yaml", "--out", "runs", "--rerun-stale");
        assertEquals(0, rerun.exit(), rerun.all());
        assertTrue(line(rerun.out(), bnId).contains("already completed, skipped"), rerun.out());
        assertTrue(rerun.out().contains("trial 2/2 " + pluginId + " norm=half-bn"), rerun.out());
        assertEquals(1, count(rerun.out(), "epoch 1 "), "exactly one trial trained: " + rerun.out());
        JsonNode after = result(dir, pluginId).get("provenance").get("norms").get(0);
        assertEquals(secondSha, after.get("sha256").asText());
        assertFalse(Files.exists(dir.resolve("stale.json")), "nothing is stale after the rerun");
        assertFalse(Files.readString(dir.resolve("report/report.md")).contains("Stale trials"));
    }

    /**
     * A built-in norm records the SHA-256 of the fat jar that ran it: the same jar again reuses the
     * result; another build of NormLab (here the same jar with one more entry, as a rebuild whose
     * version and commit say nothing new would be) makes it stale, and --rerun-stale reruns it.
     */
    @Test
    void anotherBuildOfNormLabMakesItsBuiltInNormsTrialsStale() throws Exception {
        Path first = work.resolve("normlab-a.jar");
        Files.copy(Jar.JAR, first);
        Path rebuilt = work.resolve("normlab-b.jar");
        Files.copy(Jar.JAR, rebuilt);
        try (FileSystem zip = FileSystems.newFileSystem(rebuilt)) {
            Files.writeString(zip.getPath("rebuilt.txt"), "another build\n");
        }
        String firstSha = sha256(first);
        String rebuiltSha = sha256(rebuilt);
        assertNotEquals(firstSha, rebuiltSha);
        Files.writeString(work.resolve("bn.yaml"), SWEEP.replace("name: prov", "name: bn").replace("[bn, half-bn]", "[bn]"));

        Jar.Run ran = Jar.runJar(first, work, List.of(), "bn.yaml", "--out", "runs");
        assertEquals(0, ran.exit(), ran.all());
        Path dir = work.resolve("runs/bn");
        String id = new ObjectMapper().readTree(dir.resolve("trials.json").toFile()).get(0).get("trial_id").asText();
        JsonNode norms = result(dir, id).get("provenance").get("norms");
        assertEquals(2, norms.size(), norms.toString());
        for (JsonNode n : norms) {
            assertTrue(n.get("jar").isNull(), "built in: " + n);
            assertEquals(firstSha, n.get("sha256").asText(), n.toString());
        }
        String finishedAt = result(dir, id).get("finished_at").asText();

        Jar.Run same = Jar.runJar(first, work, List.of(), "bn.yaml", "--out", "runs");
        assertEquals(0, same.exit(), same.all());
        assertTrue(line(same.out(), id).contains("already completed, skipped"), same.out());
        assertFalse(same.out().contains("stale"), same.out());
        assertFalse(Files.exists(dir.resolve("stale.json")));

        Jar.Run other = Jar.runJar(rebuilt, work, List.of(), "bn.yaml", "--out", "runs");
        assertEquals(0, other.exit(), other.all());
        String staleLine = line(other.out(), id);
        assertTrue(staleLine.contains("already completed but stale: body: bn (org.normlab.norm.bn.BatchNormProvider, built in, sha256 "
                + firstSha.substring(0, 12) + ") is now bn (org.normlab.norm.bn.BatchNormProvider, built in, sha256 "
                + rebuiltSha.substring(0, 12) + ")"), other.out());
        assertEquals(finishedAt, result(dir, id).get("finished_at").asText(), "a stale trial is not rerun");
        assertEquals(List.of(id), fieldNames(new ObjectMapper().readTree(dir.resolve("stale.json").toFile())));

        Jar.Run rerun = Jar.runJar(rebuilt, work, List.of(), "bn.yaml", "--out", "runs", "--rerun-stale");
        assertEquals(0, rerun.exit(), rerun.all());
        assertEquals(1, count(rerun.out(), "epoch 1 "), "the stale trial trained again: " + rerun.out());
        assertEquals(rebuiltSha, result(dir, id).get("provenance").get("norms").get(0).get("sha256").asText());
        assertFalse(Files.exists(dir.resolve("stale.json")), "nothing is stale after the rerun");
    }

    private static JsonNode result(Path dir, String id) throws Exception {
        return new ObjectMapper().readTree(dir.resolve(id).resolve("result.json").toFile());
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> names = new java.util.ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String line(String out, String id) {
        return out.lines().filter(l -> l.contains(id)).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no line names " + id + ":\n" + out));
    }

    private static int count(String text, String part) {
        return (int) text.lines().filter(l -> l.contains(part)).count();
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}

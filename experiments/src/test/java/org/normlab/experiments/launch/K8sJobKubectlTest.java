package org.normlab.experiments.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The manifest as kubectl reads it, with no cluster: {@code kubectl label --local} recognizes both
 * documents, and {@code kubectl set image --local} decodes the Job into Kubernetes' own Go types and
 * writes it back, which fails on a wrong type and drops any field Kubernetes does not know, so every
 * field must come back unchanged. (Semantic rules, e.g. podFailurePolicy wanting restartPolicy
 * Never, are the API server's and are not checked here.) Skipped, saying so, without a kubectl
 * of 1.26 or newer: the release whose types have podFailurePolicy and DisruptionTarget.
 */
class K8sJobKubectlTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static String kubectl;

    @TempDir static Path kubeHome;
    @TempDir Path tmp;

    /** Why kubectl cannot check the manifest here, or null. */
    private static String noKubectl;

    @BeforeAll
    static void findKubectl() throws Exception {
        kubectl = onPath("kubectl");
        if (kubectl == null) {
            noKubectl = "kubectl is not installed";
            return;
        }
        Result v = run(kubectl, "version", "--client", "-o", "json");
        JsonNode version = v.exit == 0 ? JSON.readTree(v.out).path("clientVersion") : JSON.missingNode();
        Matcher minor = Pattern.compile("^(\\d+)").matcher(version.path("minor").asText());
        if (!(minor.find() && (version.path("major").asInt() > 1 || Integer.parseInt(minor.group(1)) >= 26))) {
            noKubectl = "kubectl " + version.path("gitVersion").asText("of unknown version") + " is older than 1.26, "
                    + "whose types have podFailurePolicy";
        }
    }

    @BeforeEach
    void needsKubectl() {
        assumeTrue(noKubectl == null, () -> noKubectl + ": the manifest is not checked by kubectl");
    }

    private static K8sJob job() {
        return K8sJob.builder().sweep("smoke", "smoke.yaml", "name: smoke\nseeds: [1, 2]\n").shards(4)
                .image("registry.example/normlab:0.1").pvc("normlab-results").gpusPerPod(2).cpus(8).memory("16Gi")
                .sets(List.of("epochs=2")).device("gpu").javaOptions(List.of("-Xmx16g")).gracePeriod(90).build();
    }

    @Test
    void kubectlRecognizesBothDocuments() throws Exception {
        Path file = tmp.resolve("job.yaml");
        Files.writeString(file, job().yaml());
        Result r = run(kubectl, "label", "--local", "-f", file.toString(), "-o", "name", "normlab/checked=yes");
        assertEquals(0, r.exit, r.err);
        assertEquals(List.of("configmap/normlab-smoke-sweep", "job.batch/normlab-smoke"), r.out.lines().toList());
    }

    @Test
    void everyFieldOfTheJobIsOneKubernetesKnows() throws Exception {
        ObjectNode jobDoc = job().documents().get(1);
        assertNull(differenceAfterKubectl(jobDoc), "kubectl kept every field as written");
    }

    @Test
    void aMisspeltFieldWouldBeFound() throws Exception {
        ObjectNode jobDoc = job().documents().get(1);
        ((ObjectNode) jobDoc.path("spec").path("template").path("spec")).put("terminationGracePeriodSecond", 90);
        assertEquals("spec.template.spec.terminationGracePeriodSecond: dropped", differenceAfterKubectl(jobDoc));
    }

    /** Where kubectl's copy of the Job differs from ours (the image aside), or null. */
    private String differenceAfterKubectl(ObjectNode jobDoc) throws Exception {
        Path file = tmp.resolve("job-only.yaml");
        Files.writeString(file, new YAMLMapper().writeValueAsString(jobDoc));
        // A new image makes it a change, so that kubectl writes the object out.
        Result r = run(kubectl, "set", "image", "--local", "-f", file.toString(), "normlab=changed/image:1", "-o", "json");
        assertEquals(0, r.exit, r.err);
        JsonNode back = JSON.readTree(r.out);
        JsonNode container = back.path("spec").path("template").path("spec").path("containers").get(0);
        assertNotNull(container, r.out);
        assertEquals("changed/image:1", container.path("image").asText());
        ((ObjectNode) container).put("image", jobDoc.path("spec").path("template").path("spec").path("containers").get(0)
                .path("image").asText());
        return difference("", jobDoc, back);
    }

    /**
     * The first place where {@code expected} is not in {@code actual}: a field missing, a value
     * changed. Scalars compare as text: Kubernetes writes quantities (cpu, nvidia.com/gpu) as strings.
     */
    private static String difference(String at, JsonNode expected, JsonNode actual) {
        if (expected.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String where = at.isEmpty() ? e.getKey() : at + "." + e.getKey();
                if (!actual.has(e.getKey())) {
                    return where + ": dropped";
                }
                String d = difference(where, e.getValue(), actual.get(e.getKey()));
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        if (expected.isArray()) {
            if (!actual.isArray() || actual.size() != expected.size()) {
                return at + ": " + expected + " became " + actual;
            }
            for (int i = 0; i < expected.size(); i++) {
                String d = difference(at + "[" + i + "]", expected.get(i), actual.get(i));
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        return expected.asText().equals(actual.asText()) ? null : at + ": " + expected + " became " + actual;
    }

    private static String onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }

    private record Result(int exit, String out, String err) {}

    /** Runs kubectl with no kubeconfig: --local never asks a cluster, and none is reached by mistake. */
    private static Result run(String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("KUBECONFIG", kubeHome.resolve("no-config").toString());
        pb.environment().put("HOME", kubeHome.toString());
        Path out = kubeHome.resolve("out.txt");
        Path err = kubeHome.resolve("err.txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + List.of(command));
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}

package org.normlab.experiments.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.normlab.results.UserError;
import org.normlab.experiments.sweep.Shard;

/** The Indexed Job manifest, parsed back from its YAML text as kubectl would read it. */
class K8sJobTest {

    private static final String SWEEP = "name: smoke\nseeds: [1, 2]\ngrid:\n  norm.name: [bn, iebn]\n";

    private static K8sJobBuilder smoke() {
        return K8sJob.builder().sweep("smoke", "smoke.yaml", SWEEP).shards(3).image("registry.example/normlab:0.1");
    }

    private static List<JsonNode> parse(String yaml) throws Exception {
        List<JsonNode> docs = new ArrayList<>();
        new YAMLMapper().readerFor(JsonNode.class).readValues(yaml).forEachRemaining(d -> docs.add((JsonNode) d));
        return docs;
    }

    @Test
    void anIndexedJobWhosePodIRunsShardIOfN() throws Exception {
        String yaml = smoke().pvc("normlab-results").sets(List.of("epochs=2")).build().yaml();
        List<JsonNode> docs = parse(yaml);
        assertEquals(2, docs.size(), yaml);
        JsonNode config = docs.get(0);
        assertEquals("v1", config.path("apiVersion").asText());
        assertEquals("ConfigMap", config.path("kind").asText());
        assertEquals("normlab-smoke-sweep", config.path("metadata").path("name").asText());
        assertEquals(SWEEP, config.path("data").path("smoke.yaml").asText(), "the sweep file travels verbatim");

        JsonNode job = docs.get(1);
        assertEquals("batch/v1", job.path("apiVersion").asText());
        assertEquals("Job", job.path("kind").asText());
        assertEquals("normlab-smoke", job.path("metadata").path("name").asText());
        JsonNode spec = job.path("spec");
        assertEquals("Indexed", spec.path("completionMode").asText());
        assertEquals(3, spec.path("completions").asInt());
        assertEquals(3, spec.path("parallelism").asInt());
        JsonNode rules = spec.path("podFailurePolicy").path("rules");
        assertEquals(3, rules.size(), rules.toString());
        assertEquals("FailJob", rules.get(0).path("action").asText(), "bad input: a retry cannot fix it");
        assertEquals(List.of("2"), texts(rules.get(0).path("onExitCodes").path("values")));
        assertEquals("Ignore", rules.get(1).path("action").asText(), "SIGTERM (preempted): retried, not counted");
        assertEquals("In", rules.get(1).path("onExitCodes").path("operator").asText());
        assertEquals(List.of("143"), texts(rules.get(1).path("onExitCodes").path("values")));
        assertEquals("Ignore", rules.get(2).path("action").asText());
        assertEquals("DisruptionTarget", rules.get(2).path("onPodConditions").get(0).path("type").asText());
        JsonNode pod = spec.path("template").path("spec");
        assertEquals("Never", pod.path("restartPolicy").asText(), "podFailurePolicy needs it");
        assertEquals(60, pod.path("terminationGracePeriodSeconds").asInt());
        assertTrue(pod.path("terminationGracePeriodSeconds").isInt(), "a number, not a string");
        JsonNode container = pod.path("containers").get(0);
        assertEquals("registry.example/normlab:0.1", container.path("image").asText());
        assertEquals(List.of("java", "-Xmx6g", "-Xmn64m", "-XX:MaxDirectMemorySize=1g", "-XX:TieredStopAtLevel=1", "-jar", "/app/experiments.jar"),
                texts(container.path("command")), "bin/normlab's JVM options");
        assertEquals(List.of("run", "/sweeps/smoke.yaml", "--shard", "$(JOB_COMPLETION_INDEX)/3", "--out", "/results",
                "--set", "epochs=2"), texts(container.path("args")));
        JsonNode env = container.path("env").get(0);
        assertEquals("JOB_COMPLETION_INDEX", env.path("name").asText());
        assertEquals("metadata.annotations['batch.kubernetes.io/job-completion-index']",
                env.path("valueFrom").path("fieldRef").path("fieldPath").asText());
        assertEquals("/sweeps", container.path("volumeMounts").get(0).path("mountPath").asText());
        assertEquals("normlab-smoke-sweep", pod.path("volumes").get(0).path("configMap").path("name").asText());
        assertEquals("/results", container.path("volumeMounts").get(1).path("mountPath").asText());
        assertEquals("normlab-results", pod.path("volumes").get(1).path("persistentVolumeClaim").path("claimName").asText());
        assertFalse(container.has("resources"), "no resources asked for, none set");

        // What each pod runs once Kubernetes puts its index into the argument: every shard exactly once.
        Set<Shard> shards = new TreeSet<>((x, y) -> Integer.compare(x.index(), y.index()));
        for (int index = 0; index < 3; index++) {
            List<String> args = texts(container.path("args"));
            String shard = args.get(args.indexOf("--shard") + 1).replace("$(JOB_COMPLETION_INDEX)", String.valueOf(index));
            shards.add(Shard.parse(shard));
        }
        assertEquals(List.of(new Shard(0, 3), new Shard(1, 3), new Shard(2, 3)), List.copyOf(shards));
    }

    @Test
    void gpusCpusAndMemoryBecomeResourcesAndWorkerSettings() throws Exception {
        JsonNode container = parse(smoke().gpusPerPod(2).cpus(8).memory("16Gi").parallelism(2).build().yaml())
                .get(1).path("spec").path("template").path("spec").path("containers").get(0);
        assertEquals(2, container.path("resources").path("limits").path("nvidia.com/gpu").asInt());
        assertEquals("16Gi", container.path("resources").path("limits").path("memory").asText());
        assertEquals("8", container.path("resources").path("requests").path("cpu").asText());
        List<String> args = texts(container.path("args"));
        assertEquals(List.of("--parallel", "2", "--threads", "4"), args.subList(args.size() - 4, args.size()),
                "two GPUs: two trials at once, the CPUs split between them");
        container.path("args").forEach(a -> assertTrue(a.isTextual(), "every argument is a string: " + a));
    }

    @Test
    void javaOptionsComeAfterTheDefaultsAndTheGracePeriodIsSet() throws Exception {
        JsonNode pod = parse(smoke().javaOptions(List.of("-Xmx16g")).gracePeriod(120).build().yaml())
                .get(1).path("spec").path("template").path("spec");
        assertEquals(120, pod.path("terminationGracePeriodSeconds").asInt());
        assertEquals(List.of("java", "-Xmx6g", "-Xmn64m", "-XX:MaxDirectMemorySize=1g", "-XX:TieredStopAtLevel=1", "-Xmx16g", "-jar",
                "/app/experiments.jar"), texts(pod.path("containers").get(0).path("command")), "the last -Xmx wins");
        assertEquals("--grace-period 0: must be at least 1 (seconds)",
                assertThrows(UserError.class, () -> smoke().gracePeriod(0).build()).getMessage());
    }

    @Test
    void aSweepFileInTheImageNeedsNoConfigMap() throws Exception {
        List<JsonNode> docs = parse(smoke().configMap(false).sweepDir("/app/sweeps").build().yaml());
        assertEquals(1, docs.size());
        JsonNode container = docs.get(0).path("spec").path("template").path("spec").path("containers").get(0);
        assertEquals("/app/sweeps/smoke.yaml", container.path("args").get(1).asText());
        assertFalse(container.has("volumeMounts"));
    }

    @Test
    void thePodsGetThePluginsFolderInsideThemAndRerunStale() throws Exception {
        String yaml = smoke().pvc("normlab-results").plugins("/results/plugins").rerunStale(true).build().yaml();
        JsonNode container = parse(yaml).get(1).path("spec").path("template").path("spec").path("containers").get(0);
        assertEquals(List.of("run", "/sweeps/smoke.yaml", "--shard", "$(JOB_COMPLETION_INDEX)/3", "--out", "/results",
                "--plugins", "/results/plugins", "--rerun-stale"), texts(container.path("args")));
        assertTrue(yaml.startsWith("# ") && yaml.contains("\n# The pods load plugin jars from /results/plugins: put them there in "
                + "the image, or on a volume mounted there"), yaml);
        String plain = smoke().build().yaml();
        assertFalse(plain.contains("--plugins") || plain.contains("--rerun-stale") || plain.contains("plugin jars"), plain);
        assertEquals("plugins: paths inside the pod must be absolute",
                assertThrows(UserError.class, () -> smoke().plugins("plugins").build()).getMessage());
    }

    @Test
    void namesAreMadeValidForKubernetes() {
        assertEquals("normlab-my-sweep-v2", K8sJob.kubernetesName("normlab-My_Sweep.v2"));
        assertEquals("normlab", K8sJob.kubernetesName("---"));
        String longName = K8sJob.kubernetesName("normlab-" + "x".repeat(80));
        assertEquals(52, longName.length());
        assertEquals("normlab-abc", K8sJob.builder().sweep("abc--", "a.yaml", SWEEP).shards(1).image("i").build().name());
    }

    @Test
    void badSettingsAreClearErrors() {
        assertEquals("--shards 0: must be at least 1",
                assertThrows(UserError.class, () -> smoke().shards(0).build()).getMessage());
        assertTrue(assertThrows(UserError.class, () -> smoke().parallelism(4).build()).getMessage()
                .contains("must be 1 to 3"));
        assertTrue(assertThrows(UserError.class, () -> smoke().out("results").build()).getMessage()
                .contains("must be absolute"));
        assertTrue(assertThrows(UserError.class, () -> smoke().name("Bad_Name").build()).getMessage()
                .contains("a Kubernetes name"));
        assertTrue(assertThrows(UserError.class, () -> smoke().image(" ").build()).getMessage().startsWith("--image"));
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}

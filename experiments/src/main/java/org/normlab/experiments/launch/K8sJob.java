package org.normlab.experiments.launch;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A Kubernetes Indexed Job that runs a sweep's shards, one pod per shard: pod i runs
 * {@code run SWEEP --shard i/n}, with i the pod's completion index (Kubernetes retries a failed
 * index with the same i, and the rerun resumes). The sweep file travels in a ConfigMap (or is
 * baked into the image); results go to a PersistentVolumeClaim that every pod mounts, where
 * {@code merge} later finds the shard folders.
 */
public final class K8sJob {

    /** The environment variable Kubernetes sets to the pod's completion index in an Indexed Job. */
    public static final String INDEX_VARIABLE = "JOB_COMPLETION_INDEX";
    /** The CLI's exit code for bad input, and a JVM's after SIGTERM (128 + 15). */
    static final int BAD_INPUT_EXIT = 2;
    static final int SIGTERM_EXIT = 143;
    static final String INDEX_ANNOTATION = "metadata.annotations['batch.kubernetes.io/job-completion-index']";

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.LITERAL_BLOCK_STYLE)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS));

    private final K8sJobBuilder b;

    K8sJob(K8sJobBuilder b) {
        this.b = b;
    }

    public static K8sJobBuilder builder() {
        return new K8sJobBuilder();
    }

    /** The Job's name: normlab-<sweep>, made a valid Kubernetes name. */
    public String name() {
        return b.name != null ? b.name : kubernetesName("normlab-" + b.sweepName);
    }

    /** Where the pods read the sweep file. */
    public String sweepPath() {
        return b.sweepDir.replaceAll("/+$", "") + "/" + b.sweepFileName;
    }

    /** The manifest's documents: the ConfigMap with the sweep file (unless baked in the image) and the Job. */
    public List<ObjectNode> documents() {
        List<ObjectNode> docs = new ArrayList<>();
        if (b.configMap) {
            docs.add(configMap());
        }
        docs.add(job());
        return docs;
    }

    /** The manifest as YAML, documents separated by {@code ---}, for {@code kubectl apply -f}. */
    public String yaml() {
        StringWriter out = new StringWriter();
        out.write("# NormLab sweep '" + b.sweepName + "' as a Kubernetes Indexed Job: " + b.shards + " pods, pod i runs shard i/"
                + b.shards + ".\n");
        out.write("# kubectl apply -f THIS_FILE; when the Job is complete, merge the shards (see docs/SCALE.md):\n");
        out.write("#   java -jar experiments.jar merge " + b.out.replaceAll("/+$", "") + "/" + b.sweepName + "\n");
        if (b.plugins != null) {
            out.write("# The pods load plugin jars from " + b.plugins + ": put them there in the image, or on a volume mounted "
                    + "there (on the results volume: --plugins-dir " + b.out.replaceAll("/+$", "") + "/plugins).\n");
        }
        try {
            YAML.writer().writeValues(out).writeAll(documents()).close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private ObjectNode configMap() {
        ObjectNode doc = object();
        doc.put("apiVersion", "v1");
        doc.put("kind", "ConfigMap");
        metadata(doc, configMapName());
        doc.putObject("data").put(b.sweepFileName, b.sweepText);
        return doc;
    }

    private String configMapName() {
        return kubernetesName(name() + "-sweep");
    }

    private ObjectNode job() {
        ObjectNode doc = object();
        doc.put("apiVersion", "batch/v1");
        doc.put("kind", "Job");
        metadata(doc, name());
        ObjectNode spec = doc.putObject("spec");
        spec.put("completionMode", "Indexed");
        spec.put("completions", b.shards);
        spec.put("parallelism", b.parallelism != null ? b.parallelism : b.shards);
        spec.put("backoffLimit", b.backoffLimit != null ? b.backoffLimit : b.shards);
        ArrayNode rules = spec.putObject("podFailurePolicy").putArray("rules");
        // Exit code 2 is bad input (a wrong setting, a missing dataset): a retry cannot fix it.
        exitCodeRule(rules, "FailJob", BAD_INPUT_EXIT);
        // Preempted, evicted or drained: the pod got SIGTERM (the JVM exits 143) or is marked a
        // disruption. A new pod resumes the shard, and the retry does not count as a failure.
        exitCodeRule(rules, "Ignore", SIGTERM_EXIT);
        ObjectNode disrupted = rules.addObject();
        disrupted.put("action", "Ignore");
        ObjectNode condition = disrupted.putArray("onPodConditions").addObject();
        condition.put("type", "DisruptionTarget");
        condition.put("status", "True");

        ObjectNode template = spec.putObject("template");
        template.putObject("metadata").set("labels", labels());
        ObjectNode pod = template.putObject("spec");
        pod.put("restartPolicy", "Never");
        pod.put("terminationGracePeriodSeconds", b.gracePeriod);
        ObjectNode container = pod.putArray("containers").addObject();
        container.put("name", "normlab");
        container.put("image", b.image);
        ArrayNode command = container.putArray("command");
        command.add("java");
        b.jvmOptions().forEach(command::add);
        command.add("-jar").add(b.jar);
        ArrayNode args = container.putArray("args");
        arguments().forEach(args::add);
        ObjectNode env = container.putArray("env").addObject();
        env.put("name", INDEX_VARIABLE);
        env.putObject("valueFrom").putObject("fieldRef").put("fieldPath", INDEX_ANNOTATION);
        ObjectNode resources = container.putObject("resources");
        if (b.cpus != null || b.memory != null) {
            ObjectNode requests = resources.putObject("requests");
            if (b.cpus != null) {
                requests.put("cpu", String.valueOf(b.cpus));
            }
            if (b.memory != null) {
                requests.put("memory", b.memory);
            }
        }
        if (b.gpusPerPod > 0 || b.memory != null) {
            ObjectNode limits = resources.putObject("limits");
            if (b.gpusPerPod > 0) {
                limits.put("nvidia.com/gpu", b.gpusPerPod);
            }
            if (b.memory != null) {
                limits.put("memory", b.memory);
            }
        }
        ArrayNode mounts = container.putArray("volumeMounts");
        ArrayNode volumes = pod.putArray("volumes");
        if (b.configMap) {
            ObjectNode m = mounts.addObject();
            m.put("name", "sweep");
            m.put("mountPath", b.sweepDir);
            m.put("readOnly", true);
            ObjectNode v = volumes.addObject();
            v.put("name", "sweep");
            v.putObject("configMap").put("name", configMapName());
        }
        if (b.pvc != null) {
            ObjectNode m = mounts.addObject();
            m.put("name", "results");
            m.put("mountPath", b.out);
            ObjectNode v = volumes.addObject();
            v.put("name", "results");
            v.putObject("persistentVolumeClaim").put("claimName", b.pvc);
        }
        if (mounts.isEmpty()) {
            container.remove("volumeMounts");
            pod.remove("volumes");
        }
        if (resources.isEmpty()) {
            container.remove("resources");
        }
        return doc;
    }

    /** The container's arguments; {@code $(JOB_COMPLETION_INDEX)} is expanded by Kubernetes. */
    public List<String> arguments() {
        return b.invocation(sweepPath(), b.out, b.gpusPerPod, b.cpus).arguments("$(" + INDEX_VARIABLE + ")");
    }

    private static void exitCodeRule(ArrayNode rules, String action, int exitCode) {
        ObjectNode rule = rules.addObject();
        rule.put("action", action);
        ObjectNode onExit = rule.putObject("onExitCodes");
        onExit.put("containerName", "normlab");
        onExit.put("operator", "In");
        onExit.putArray("values").add(exitCode);
    }

    private void metadata(ObjectNode doc, String name) {
        ObjectNode meta = doc.putObject("metadata");
        meta.put("name", name);
        meta.set("labels", labels());
    }

    private ObjectNode labels() {
        ObjectNode labels = object();
        labels.put("app.kubernetes.io/name", "normlab");
        labels.put("normlab/sweep", kubernetesName(b.sweepName));
        return labels;
    }

    /** Lower case letters, digits and '-', starting and ending with a letter or digit, at most 52 long. */
    static String kubernetesName(String text) {
        String s = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("-{2,}", "-");
        if (s.length() > 52) {
            s = s.substring(0, 52);
        }
        s = s.replaceAll("^-+|-+$", "");
        return s.isEmpty() ? "normlab" : s;
    }

    private static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }
}

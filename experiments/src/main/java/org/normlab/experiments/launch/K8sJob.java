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
import org.normlab.experiments.UserError;

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

    private final Builder b;

    private K8sJob(Builder b) {
        this.b = b;
    }

    public static Builder builder() {
        return new Builder();
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
        JvmOptions.defaults().forEach(command::add);
        b.javaOptions.forEach(command::add);
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
        List<String> args = new ArrayList<>(List.of("run", sweepPath(),
                "--shard", "$(" + INDEX_VARIABLE + ")/" + b.shards, "--out", b.out));
        for (String set : b.sets) {
            args.add("--set");
            args.add(set);
        }
        if (b.device != null) {
            args.add("--device");
            args.add(b.device);
        }
        if (b.gpusPerPod > 1) {
            args.add("--parallel");
            args.add(String.valueOf(b.gpusPerPod));
        }
        if (b.cpus != null) {
            args.add("--threads");
            args.add(String.valueOf(Math.max(1, b.cpus / Math.max(1, b.gpusPerPod))));
        }
        return args;
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

    /** Settings of the Job; sweep, shards and image are required. */
    public static final class Builder {
        private String sweepName;
        private String sweepFileName;
        private String sweepText;
        private int shards;
        private String image;
        private Integer parallelism;
        private Integer backoffLimit;
        private int gpusPerPod;
        private int gracePeriod = 60;
        private Integer cpus;
        private String memory;
        private String pvc;
        private String out = "/results";
        private String jar = "/app/experiments.jar";
        private String sweepDir = "/sweeps";
        private boolean configMap = true;
        private String name;
        private String device;
        private List<String> sets = List.of();
        private List<String> javaOptions = List.of();

        /** The sweep's name, its file name and text (shipped in a ConfigMap). */
        public Builder sweep(String name, String fileName, String text) {
            this.sweepName = name;
            this.sweepFileName = fileName;
            this.sweepText = text;
            return this;
        }

        public Builder shards(int shards) {
            this.shards = shards;
            return this;
        }

        public Builder image(String image) {
            this.image = image;
            return this;
        }

        /** Pods at once (default: all shards). */
        public Builder parallelism(Integer parallelism) {
            this.parallelism = parallelism;
            return this;
        }

        /** Failed pods the Job retries in all (default: one per shard). */
        public Builder backoffLimit(Integer backoffLimit) {
            this.backoffLimit = backoffLimit;
            return this;
        }

        /** GPUs per pod (nvidia.com/gpu); with more than one the pod runs --parallel over them. */
        public Builder gpusPerPod(int gpus) {
            this.gpusPerPod = gpus;
            return this;
        }

        /** CPUs per pod (requests.cpu); the trials get them as --threads. */
        public Builder cpus(Integer cpus) {
            this.cpus = cpus;
            return this;
        }

        /** Memory per pod, e.g. 16Gi (requests and limits). */
        public Builder memory(String memory) {
            this.memory = memory;
            return this;
        }

        /** The PersistentVolumeClaim mounted at the results folder. */
        public Builder pvc(String pvc) {
            this.pvc = pvc;
            return this;
        }

        /** The results folder inside the pods (default /results). */
        public Builder out(String out) {
            this.out = out;
            return this;
        }

        /** The fat jar inside the image (default /app/experiments.jar). */
        public Builder jar(String jar) {
            this.jar = jar;
            return this;
        }

        /** Where the pods find the sweep file (default /sweeps, where the ConfigMap is mounted). */
        public Builder sweepDir(String dir) {
            this.sweepDir = dir;
            return this;
        }

        /** False when the image already holds the sweep file at sweepDir: no ConfigMap then. */
        public Builder configMap(boolean configMap) {
            this.configMap = configMap;
            return this;
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder device(String device) {
            this.device = device;
            return this;
        }

        /** --set overrides the pods pass on. */
        public Builder sets(List<String> sets) {
            this.sets = List.copyOf(sets);
            return this;
        }

        /** Seconds between SIGTERM and the kill when a pod is stopped (terminationGracePeriodSeconds). */
        public Builder gracePeriod(int seconds) {
            this.gracePeriod = seconds;
            return this;
        }

        /** JVM options after {@link JvmOptions#defaults()}, e.g. -Xmx16g (the later -Xmx wins) or -Dai.djl.offline=false. */
        public Builder javaOptions(List<String> options) {
            this.javaOptions = List.copyOf(options);
            return this;
        }

        public K8sJob build() {
            if (sweepName == null || sweepFileName == null || sweepText == null) {
                throw new IllegalStateException("the sweep is required");
            }
            if (shards < 1) {
                throw new UserError("--shards " + shards + ": must be at least 1");
            }
            if (image == null || image.isBlank()) {
                throw new UserError("--image: give the container image that holds the jar at " + jar);
            }
            if (parallelism != null && (parallelism < 1 || parallelism > shards)) {
                throw new UserError("--parallelism " + parallelism + ": must be 1 to " + shards + " (the number of shards)");
            }
            if (backoffLimit != null && backoffLimit < 0) {
                throw new UserError("--backoff-limit " + backoffLimit + ": must be 0 or more");
            }
            if (gracePeriod < 1) {
                throw new UserError("--grace-period " + gracePeriod + ": must be at least 1 (seconds)");
            }
            if (gpusPerPod < 0) {
                throw new UserError("--gpus-per-pod " + gpusPerPod + ": must be 0 or more");
            }
            if (cpus != null && cpus < 1) {
                throw new UserError("--cpus " + cpus + ": must be at least 1");
            }
            if (name != null && !name.matches("[a-z0-9]([-a-z0-9]{0,50}[a-z0-9])?")) {
                throw new UserError("--name " + name + ": a Kubernetes name: lower case letters, digits and '-', "
                        + "starting and ending with a letter or digit, at most 52 characters");
            }
            for (String path : List.of(out, jar, sweepDir)) {
                if (!path.startsWith("/")) {
                    throw new UserError(path + ": paths inside the pod must be absolute");
                }
            }
            return new K8sJob(this);
        }
    }
}

package org.normlab.experiments.launch;

import java.util.List;
import org.normlab.results.UserError;

/** The settings of a {@link K8sJob}; the sweep, shards and image are required. */
public final class K8sJobBuilder extends LaunchBuilder<K8sJobBuilder> {

    String sweepName;
    String sweepFileName;
    String sweepText;
    String image;
    Integer parallelism;
    Integer backoffLimit;
    int gpusPerPod;
    Integer cpus;
    String memory;
    String pvc;
    String out = "/results";
    String jar = "/app/experiments.jar";
    String sweepDir = "/sweeps";
    boolean configMap = true;
    String name;

    /** The sweep's name, its file name and text (shipped in a ConfigMap). */
    public K8sJobBuilder sweep(String name, String fileName, String text) {
        this.sweepName = name;
        this.sweepFileName = fileName;
        this.sweepText = text;
        return this;
    }

    public K8sJobBuilder image(String image) {
        this.image = image;
        return this;
    }

    /** Pods at once (default: all shards). */
    public K8sJobBuilder parallelism(Integer parallelism) {
        this.parallelism = parallelism;
        return this;
    }

    /** Failed pods the Job retries in all (default: one per shard). */
    public K8sJobBuilder backoffLimit(Integer backoffLimit) {
        this.backoffLimit = backoffLimit;
        return this;
    }

    /** GPUs per pod (nvidia.com/gpu); with more than one the pod runs --parallel over them. */
    public K8sJobBuilder gpusPerPod(int gpus) {
        this.gpusPerPod = gpus;
        return this;
    }

    /** CPUs per pod (requests.cpu); the trials get them as --threads. */
    public K8sJobBuilder cpus(Integer cpus) {
        this.cpus = cpus;
        return this;
    }

    /** Memory per pod, e.g. 16Gi (requests and limits). */
    public K8sJobBuilder memory(String memory) {
        this.memory = memory;
        return this;
    }

    /** The PersistentVolumeClaim mounted at the results folder. */
    public K8sJobBuilder pvc(String pvc) {
        this.pvc = pvc;
        return this;
    }

    /** The results folder inside the pods (default /results). */
    public K8sJobBuilder out(String out) {
        this.out = out;
        return this;
    }

    /** The fat jar inside the image (default /app/experiments.jar). */
    public K8sJobBuilder jar(String jar) {
        this.jar = jar;
        return this;
    }

    /** Where the pods find the sweep file (default /sweeps, where the ConfigMap is mounted). */
    public K8sJobBuilder sweepDir(String dir) {
        this.sweepDir = dir;
        return this;
    }

    /** False when the image already holds the sweep file at sweepDir: no ConfigMap then. */
    public K8sJobBuilder configMap(boolean configMap) {
        this.configMap = configMap;
        return this;
    }

    public K8sJobBuilder name(String name) {
        this.name = name;
        return this;
    }

    @Override
    K8sJobBuilder self() {
        return this;
    }

    public K8sJob build() {
        if (sweepName == null || sweepFileName == null || sweepText == null) {
            throw new IllegalStateException("the sweep is required");
        }
        checkShared();
        if (image == null || image.isBlank()) {
            throw new UserError("--image: give the container image that holds the jar at " + jar);
        }
        if (parallelism != null && (parallelism < 1 || parallelism > shards)) {
            throw new UserError("--parallelism " + parallelism + ": must be 1 to " + shards + " (the number of shards)");
        }
        if (backoffLimit != null && backoffLimit < 0) {
            throw new UserError("--backoff-limit " + backoffLimit + ": must be 0 or more");
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
        for (String path : plugins == null ? List.of(out, jar, sweepDir) : List.of(out, jar, sweepDir, plugins)) {
            if (!path.startsWith("/")) {
                throw new UserError(path + ": paths inside the pod must be absolute");
            }
        }
        return new K8sJob(this);
    }
}

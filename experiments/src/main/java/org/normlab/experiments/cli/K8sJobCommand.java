package org.normlab.experiments.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.normlab.experiments.UserError;
import org.normlab.experiments.config.Sweep;
import org.normlab.experiments.config.SweepLoader;
import org.normlab.experiments.launch.K8sJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code k8s-job SWEEP.yaml --shards n --image IMAGE}: prints a Kubernetes Indexed Job that runs the sweep's shards. */
@Command(name = "k8s-job", mixinStandardHelpOptions = true,
        description = {"Prints a Kubernetes manifest that runs a sweep as an Indexed Job of n pods: pod i runs "
                + "`run SWEEP --shard i/n` (i = JOB_COMPLETION_INDEX). The sweep file goes along in a ConfigMap mounted "
                + "at --sweep-dir (or is baked into the image: --no-configmap); results go to --out, mounted from --pvc.",
                "Apply it with `kubectl apply -f FILE`; when the Job is complete, `merge OUT/<sweep>` combines the shards."})
final class K8sJobCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "SWEEP.yaml", description = "the sweep file (checked here, shipped in the ConfigMap)")
    Path sweep;

    @Option(names = "--shards", required = true, paramLabel = "n", description = "number of shards (pods)")
    int shards;

    @Option(names = "--image", required = true, paramLabel = "IMAGE", description = "container image with java and the fat jar")
    String image;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a setting (repeatable); the pods get the same --set")
    List<String> sets = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "/results", description = "results root inside the pods (default: ${DEFAULT-VALUE})")
    String out;

    @Option(names = "--pvc", paramLabel = "NAME", description = "PersistentVolumeClaim mounted at --out (ReadWriteMany: all pods write to it)")
    String pvc;

    @Option(names = "--gpus-per-pod", paramLabel = "G", defaultValue = "0",
            description = "GPUs per pod (nvidia.com/gpu); with G > 1 each pod runs --parallel G (default: ${DEFAULT-VALUE})")
    int gpusPerPod;

    @Option(names = "--cpus", paramLabel = "C", description = "CPUs per pod (requests.cpu); trials get C (or C/G) threads")
    Integer cpus;

    @Option(names = "--memory", paramLabel = "SIZE", description = "memory per pod, e.g. 16Gi (requests and limits)")
    String memory;

    @Option(names = "--parallelism", paramLabel = "P", description = "pods at once (default: all n)")
    Integer parallelism;

    @Option(names = "--backoff-limit", paramLabel = "R", description = "pod failures the Job retries in all (default: n)")
    Integer backoffLimit;

    @Option(names = "--device", paramLabel = "DEVICE", description = "auto, cpu, gpu or gpu:N for every trial (default: the sweep's)")
    String device;

    @Option(names = "--jar", paramLabel = "PATH", defaultValue = "/app/experiments.jar", description = "the fat jar inside the image (default: ${DEFAULT-VALUE})")
    String jar;

    @Option(names = "--grace-period", paramLabel = "S", defaultValue = "60",
            description = "terminationGracePeriodSeconds: a stopped pod has S seconds between SIGTERM and the kill (default: ${DEFAULT-VALUE})")
    int gracePeriod;

    @Option(names = "--java-option", paramLabel = "OPT", description = "JVM option before -jar (repeatable), e.g. -Xmx8g")
    List<String> javaOptions = new ArrayList<>();

    @Option(names = "--sweep-dir", paramLabel = "DIR", defaultValue = "/sweeps", description = "where the pods find the sweep file (default: ${DEFAULT-VALUE})")
    String sweepDir;

    @Option(names = "--no-configmap", description = "the image holds the sweep file at --sweep-dir: emit no ConfigMap")
    boolean noConfigMap;

    @Option(names = "--name", paramLabel = "NAME", description = "the Job's name (default: normlab-<sweep name>)")
    String name;

    @Option(names = "--file", paramLabel = "FILE", description = "write the manifest to FILE instead of printing it")
    Path file;

    @Override
    public Integer call() throws IOException {
        Sweep loaded = SweepLoader.load(sweep, sets);
        if (device != null && !device.matches("auto|cpu|gpu|gpu:\\d+")) {
            throw new UserError("--device " + device + ": must be auto, cpu, gpu or gpu:N");
        }
        K8sJob job = K8sJob.builder()
                .sweep(loaded.name(), sweep.getFileName().toString(), Files.readString(sweep, StandardCharsets.UTF_8))
                .shards(shards).image(image).sets(sets).out(out).pvc(pvc).gpusPerPod(gpusPerPod).cpus(cpus)
                .memory(memory).parallelism(parallelism).backoffLimit(backoffLimit).device(device).jar(jar)
                .javaOptions(javaOptions).gracePeriod(gracePeriod).sweepDir(sweepDir).configMap(!noConfigMap).name(name)
                .build();
        if (shards > loaded.trials().size()) {
            System.err.printf("note: %d shards for %d trials: %d pods will have nothing to do%n",
                    shards, loaded.trials().size(), shards - loaded.trials().size());
        }
        if (pvc == null) {
            System.err.println("note: without --pvc the results stay inside the pods and are lost when they end");
        }
        Launchers.emit(job.yaml(), file, "manifest");
        return 0;
    }
}

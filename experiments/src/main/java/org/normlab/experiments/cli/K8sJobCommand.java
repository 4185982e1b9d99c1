package org.normlab.experiments.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.normlab.config.Sweep;
import org.normlab.experiments.launch.K8sJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code k8s-job SWEEP.yaml --shards n --image IMAGE}: prints a Kubernetes Indexed Job that runs the sweep's shards. */
@Command(name = "k8s-job", mixinStandardHelpOptions = true,
        description = {"Prints a Kubernetes manifest that runs a sweep as an Indexed Job of n pods: pod i runs "
                + "`run SWEEP --shard i/n` (i = JOB_COMPLETION_INDEX). The sweep file goes along in a ConfigMap mounted "
                + "at --sweep-dir (or is baked into the image: --no-configmap); results go to --out, mounted from --pvc.",
                "With plugins (--plugins DIR, or plugins/ here: the sweep is checked with them) the pods load them from "
                + "--plugins-dir, which the image or a volume must hold.",
                "Apply it with `kubectl apply -f FILE`; when the Job is complete, `merge OUT/<sweep>` combines the shards."})
final class K8sJobCommand implements Callable<Integer> {

    @Mixin Launchers launch;

    @Mixin CommonOptions common;

    @Option(names = "--image", required = true, paramLabel = "IMAGE", description = "container image with java and the fat jar")
    String image;

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

    @Option(names = "--jar", paramLabel = "PATH", defaultValue = "/app/experiments.jar", description = "the fat jar inside the image (default: ${DEFAULT-VALUE})")
    String jar;

    @Option(names = "--sweep-dir", paramLabel = "DIR", defaultValue = "/sweeps", description = "where the pods find the sweep file (default: ${DEFAULT-VALUE})")
    String sweepDir;

    @Option(names = "--plugins-dir", paramLabel = "DIR", defaultValue = "/plugins",
            description = "where the pods find the plugin jars when plugins are used: in the image, or a volume mounted "
                    + "there (default: ${DEFAULT-VALUE})")
    String pluginsDir;

    @Option(names = "--no-configmap", description = "the image holds the sweep file at --sweep-dir: emit no ConfigMap")
    boolean noConfigMap;

    @Option(names = "--name", paramLabel = "NAME", description = "the Job's name (default: normlab-<sweep name>)")
    String name;

    @Override
    public Integer call() throws IOException {
        Sweep loaded = launch.load(common);
        boolean plugins = common.pluginsFolder() != null;
        K8sJob job = K8sJob.builder()
                .sweep(loaded.name(), launch.sweep.getFileName().toString(), Files.readString(launch.sweep, StandardCharsets.UTF_8))
                .shards(launch.shards).image(image).sets(launch.sets).out(out).pvc(pvc).gpusPerPod(gpusPerPod).cpus(cpus)
                .memory(memory).parallelism(parallelism).backoffLimit(backoffLimit).device(launch.device).jar(jar)
                .plugins(plugins ? pluginsDir : null).rerunStale(launch.rerunStale)
                .javaOptions(launch.javaOptions).gracePeriod(launch.gracePeriod).sweepDir(sweepDir)
                .configMap(!noConfigMap).name(name)
                .build();
        launch.noteIdleShards(loaded, "pods");
        if (plugins) {
            System.err.println("note: the pods load the plugins from " + pluginsDir + " (--plugins-dir): put the jars of "
                    + common.pluginsFolder() + " there, in the image or on a volume");
        }
        if (pvc == null) {
            System.err.println("note: without --pvc the results stay inside the pods and are lost when they end");
        }
        launch.emit(job.yaml(), "manifest");
        return 0;
    }
}

package org.normlab.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code slurm} and {@code k8s-job} take run's --plugins: the sweep, which names the plugin's
 * dataset, is checked with the plugins (and refused without them, as run refuses it), and every
 * shard is given the plugins folder (Slurm: its absolute, shared path; Kubernetes: --plugins-dir
 * inside the pod) and --rerun-stale.
 */
class LauncherPluginsTest {

    private static final String SWEEP = "name: zoo\nseeds: [1]\nepochs: 1\ndata: {name: stripes, batch_size: 16}\n"
            + "model: {name: small_vgg, depth: 2}\ngrid:\n  norm.name: [bn]\n";

    @TempDir static Path work;
    private static Path plugins;
    private static Path sweep;

    @BeforeAll
    static void pluginAndSweep() throws Exception {
        plugins = work.resolve("plugins");
        PluginJars.vggPlugin(plugins.resolve("vgg.jar"));
        sweep = work.resolve("zoo.yaml");
        Files.writeString(sweep, SWEEP);
    }

    private record Result(int exit, String err) {}

    private static Result execute(String... args) {
        PrintStream was = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return new Result(Main.execute(args), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(was);
        }
    }

    @Test
    void slurmTasksLoadThePluginsFromTheirSharedPath() throws Exception {
        Path script = work.resolve("zoo.sbatch");
        List<String> command = List.of("slurm", sweep.toString(), "--shards", "2", "--jar", "/shared/experiments.jar",
                "--out", "/shared/runs", "--file", script.toString());
        Result refused = execute(command.toArray(String[]::new));
        assertEquals(2, refused.exit(), refused.err());
        assertTrue(refused.err().contains("data.name: must be one of fashion-mnist, cifar10, cifar100, synthetic, mix "
                + "(got 'stripes')"), refused.err());
        assertFalse(Files.exists(script), "nothing written");

        List<String> withPlugins = new ArrayList<>(command);
        withPlugins.addAll(List.of("--plugins", plugins.toString(), "--rerun-stale"));
        Result ok = execute(withPlugins.toArray(String[]::new));
        assertEquals(0, ok.exit(), ok.err());
        String text = Files.readString(script);
        assertTrue(text.contains(" \\\n    --plugins " + plugins.toAbsolutePath().normalize() + " \\\n    --rerun-stale"), text);
    }

    @Test
    void kubernetesPodsLoadThePluginsFromThePluginsDir() throws Exception {
        Path manifest = work.resolve("zoo-job.yaml");
        Result ok = execute("k8s-job", sweep.toString(), "--shards", "2", "--image", "normlab:test", "--pvc", "results",
                "--plugins", plugins.toString(), "--plugins-dir", "/results/plugins", "--rerun-stale",
                "--file", manifest.toString());
        assertEquals(0, ok.exit(), ok.err());
        assertTrue(ok.err().contains("note: the pods load the plugins from /results/plugins (--plugins-dir): put the jars of "
                + plugins + " there, in the image or on a volume"), ok.err());
        assertEquals(List.of("run", "/sweeps/zoo.yaml", "--shard", "$(JOB_COMPLETION_INDEX)/2", "--out", "/results",
                "--plugins", "/results/plugins", "--rerun-stale"), podArguments(manifest));

        Result defaultDir = execute("k8s-job", sweep.toString(), "--shards", "2", "--image", "normlab:test",
                "--plugins", plugins.toString(), "--file", manifest.toString());
        assertEquals(0, defaultDir.exit(), defaultDir.err());
        assertEquals(List.of("run", "/sweeps/zoo.yaml", "--shard", "$(JOB_COMPLETION_INDEX)/2", "--out", "/results",
                "--plugins", "/plugins"), podArguments(manifest), "--plugins-dir's default; no --rerun-stale, none passed");
    }

    private static List<String> podArguments(Path manifest) throws Exception {
        List<JsonNode> docs = new ArrayList<>();
        new YAMLMapper().readerFor(JsonNode.class).readValues(manifest.toFile()).forEachRemaining(d -> docs.add((JsonNode) d));
        assertEquals(2, docs.size());
        List<String> args = new ArrayList<>();
        docs.get(1).path("spec").path("template").path("spec").path("containers").get(0).path("args")
                .forEach(a -> args.add(a.asText()));
        return args;
    }
}

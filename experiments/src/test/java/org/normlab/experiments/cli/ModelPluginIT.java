package org.normlab.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plugin that adds a model family and a dataset through a Guice module (test sources
 * org/example/vgg, packed here into a jar of their own with the services file): the fat jar,
 * which does not contain them, trains that model on that dataset when a sweep names them, and
 * rejects misspelt names with the messages built-in names get.
 */
class ModelPluginIT {

    private static final String SWEEP = String.join("\n",
            "name: zoo",
            "seeds: [1]",
            "epochs: 2",
            "device: cpu",
            "checkpoints: false",
            "data:",
            "  name: stripes",
            "  batch_size: 16",
            "model:",
            "  name: small_vgg",
            "  depth: 2",
            "optimizer: {lr: 0.05, momentum: 0.9}",
            "grid:",
            "  norm.name: [bn]",
            "");

    @TempDir static Path work;

    @BeforeAll
    static void packThePlugin() throws IOException {
        PluginJars.vggPlugin(work.resolve("plugins/vgg.jar"));
    }

    private static Jar.Run run(String sweep, String... extra) throws Exception {
        Path file = work.resolve("zoo.yaml");
        Files.writeString(file, sweep);
        String[] args = new String[extra.length + 1];
        args[0] = file.toString();
        System.arraycopy(extra, 0, args, 1, extra.length);
        return Jar.run(work, args);
    }

    @Test
    void theFatJarTrainsThePluginsModelOnThePluginsDataset() throws Exception {
        Jar.Run run = run(SWEEP, "--out", "runs");
        assertEquals(0, run.exit(), run.all());
        Path dir = work.resolve("runs/zoo");
        List<String> rows = Files.readAllLines(dir.resolve("results.csv"));
        assertEquals(2, rows.size(), String.join("\n", rows));
        JsonNode result = new ObjectMapper().readTree(dir.resolve(rows.get(1).split(",")[0]).resolve("result.json").toFile());
        assertEquals("completed", result.path("status").asText());
        // 9*1*16 + 2*16 + 9*16*32 + 2*32 + 32*2 + 2: small_vgg on 1-channel images, 2 classes, BN.
        assertEquals(4914, result.path("metrics").path("params").asLong());
        assertEquals(2, result.path("history").size());
    }

    @Test
    void pluginNamesAreCheckedLikeBuiltInOnes() throws Exception {
        Jar.Run model = run(SWEEP.replace("name: small_vgg", "name: small_vgx"));
        assertEquals(2, model.exit(), model.all());
        assertTrue(model.err().contains("zoo.yaml:10:9: model.name: model family 'small_vgx' is unknown (did you mean "
                + "'small_vgg'?); known families: cifar_resnet, resnet, small_vgg, narrow_vgg"), model.err());
        Jar.Run data = run(SWEEP.replace("name: stripes", "name: stripez"));
        assertEquals(2, data.exit(), data.all());
        assertTrue(data.err().contains("zoo.yaml:7:9: data.name: must be one of fashion-mnist, cifar10, cifar100, "
                + "synthetic, mix, stripes (got 'stripez')"), data.err());
        Jar.Run depth = run(SWEEP.replace("depth: 2", "depth: 3"));
        assertEquals(2, depth.exit(), depth.all());
        assertTrue(depth.err().contains("zoo.yaml:11:10: model.depth: small_vgg: depth must be 2"), depth.err());
    }

    /** bench and params build through the model families, so a plugin's model is measured and counted like a ResNet. */
    @Test
    void benchAndParamsBuildThePluginsModel() throws Exception {
        Jar.Run bench = Jar.run(work, "bench", "--model", "small_vgg", "--depth", "2", "--input", "1x8x8", "--classes", "2",
                "--batch", "16", "--warmup", "1", "--iters", "2");
        assertEquals(0, bench.exit(), bench.all());
        // the params count of the trained model above: 9*1*16 + 2*16 + 9*16*32 + 2*32 + 32*2 + 2
        assertTrue(bench.out().contains(" params 4914"), bench.out());
        List<String> results = bench.out().lines().filter(l -> l.startsWith("RESULT model=small_vgg norm=bn ")).toList();
        assertEquals(2, results.size(), bench.out());
        assertTrue(results.get(0).contains(" mode=train batch=16 in=1x8x8 iters=2 "), results.get(0));
        assertTrue(results.get(1).contains(" mode=eval batch=16 in=1x8x8 iters=2 "), results.get(1));
        Jar.Run params = Jar.run(work, "params", "--model", "small_vgg", "--depth", "2", "--input", "1x8x8", "--classes", "2");
        assertEquals(0, params.exit(), params.all());
        assertEquals("4914", params.lastLine());
        Jar.Run noDepth = Jar.run(work, "bench", "--model", "small_vgg");
        assertEquals(2, noDepth.exit(), noDepth.all());
        assertTrue(noDepth.err().contains("error: --model small_vgg is a model family: give its depth with --depth"), noDepth.err());
    }

    /** A model whose convolutions the CPU engine computes wrongly (8 and 16 channels) is refused before anything trains. */
    @Test
    void aModelWithConvolutionsTheCpuComputesWronglyIsRefused() throws Exception {
        Jar.Run narrow = run(SWEEP.replace("name: small_vgg", "name: narrow_vgg"), "--out", "narrow-runs");
        assertEquals(2, narrow.exit(), narrow.all());
        assertTrue(narrow.err().contains("zoo.yaml:10:9: model.name: model narrow_vgg: layer 01Conv2d convolves 1 to 8 "
                + "channels; layer 05Conv2d convolves 8 to 16 channels: on CPU, libtorch 2.7.1's oneDNN computes such "
                + "convolutions wrongly"), narrow.err());
        assertTrue(narrow.err().contains("multiple of 16"), narrow.err());
        assertTrue(!Files.exists(work.resolve("narrow-runs/zoo/results.csv")), "nothing trained");
    }
}

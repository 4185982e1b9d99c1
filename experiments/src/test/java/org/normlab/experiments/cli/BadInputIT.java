package org.normlab.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad-input catalogue (README, Troubleshooting): every case gives one clear message on
 * stderr, exit code 2, no stack trace, and writes nothing.
 */
class BadInputIT {

    static final String SWEEP = String.join("\n",
            "name: bad",
            "seeds: [1]",
            "epochs: 1",
            "data:",
            "  name: synthetic",
            "  batch_size: 16",
            "  synthetic: {classes: 3, channels: 1, size: 8, train: 64, val: 32}",
            "model:",
            "  name: cifar_resnet",
            "  depth: 8",
            "grid:",
            "  norm.name: [bn]",
            "");

    @TempDir static Path plugins;
    @TempDir Path dir;

    @BeforeAll
    static void buildPlugins() throws IOException {
        PluginJars.build(plugins.resolve("identity/identity.jar"), "org.example.Identity",
                PluginJars.provider("Identity", "identity", "return LambdaBlock.singleton(x -> x);"));
        PluginJars.build(plugins.resolve("twin/twin.jar"), "org.example.Twin",
                PluginJars.provider("Twin", "bn", "return LambdaBlock.singleton(x -> x);"));
        PluginJars.build(plugins.resolve("thrower/thrower.jar"), "org.example.Thrower",
                PluginJars.provider("Thrower", "thrower", "throw new IllegalStateException(\"no layer today\");"));
    }

    /** Runs the sweep text (optionally edited) and checks the one-line error. */
    private String fails(String sweep, String... extraArgs) throws Exception {
        Path file = dir.resolve("s.yaml");
        Files.writeString(file, sweep);
        String[] args = new String[extraArgs.length + 1];
        args[0] = file.toString();
        System.arraycopy(extraArgs, 0, args, 1, extraArgs.length);
        return failsWith(args);
    }

    private String failsWith(String... args) throws Exception {
        Jar.Run run = Jar.run(dir, args);
        assertEquals(2, run.exit(), run.all());
        // libtorch's own C++ warnings ("[W1128 ...] ...") are not ours
        String err = run.err().lines().filter(l -> !l.startsWith("[W")).reduce("", (a, b) -> a + b + "\n");
        assertTrue(err.startsWith("error: "), err);
        assertFalse(err.contains("\tat "), "no stack trace without --verbose:\n" + err);
        assertFalse(Files.exists(dir.resolve("runs")), "nothing written");
        return err;
    }

    private static String edit(String from, String to) {
        assertTrue(SWEEP.contains(from), from);
        return SWEEP.replace(from, to);
    }

    private static void contains(String text, String... parts) {
        for (String part : parts) {
            assertTrue(text.contains(part), "expected '" + part + "' in: " + text);
        }
    }

    @Test
    void malformedYaml() throws Exception {
        contains(fails(edit("seeds: [1]", "seeds: [1")), "s.yaml:3:", "malformed YAML");
    }

    @Test
    void unknownKeyWithTheNearestValidOne() throws Exception {
        contains(fails(edit("epochs: 1", "epoch: 1")), "s.yaml:3:1: unknown setting 'epoch' (did you mean 'epochs'?)");
    }

    @Test
    void wrongType() throws Exception {
        contains(fails(edit("epochs: 1", "epochs: one")), "s.yaml:3:9: epochs: wrong type");
    }

    @Test
    void emptyGridAndEmptySeeds() throws Exception {
        contains(fails(edit("[bn]", "[]")), "s.yaml:12:14: grid axis 'norm.name' has no values");
        contains(fails(edit("seeds: [1]", "seeds: []")), "s.yaml:2:8: 'seeds' must be a non-empty list");
    }

    @Test
    void batchSizeZeroOrLargerThanTheDataset() throws Exception {
        contains(fails(edit("batch_size: 16", "batch_size: 0")), "s.yaml:6:15: data.batch_size: must be at least 1 (got 0)");
        contains(fails(edit("batch_size: 16", "batch_size: 1000")), "s.yaml:6:15: data.batch_size: batch size 1000 is larger than the 64 training images");
    }

    @Test
    void depthNotValidForTheModel() throws Exception {
        contains(fails(edit("depth: 8", "depth: 9")), "s.yaml:10:10: model.depth:", "9");
    }

    @Test
    void unknownNormModelDatasetAttack() throws Exception {
        contains(fails(edit("[bn]", "[bm]")), "s.yaml:12:15: norm.name: unknown norm 'bm' (did you mean 'bn'?); known norms: bn, brn, constant, evonorm_b0, evonorm_s0, frn, gaussian, ghost, gn, iebn, in, ln");
        contains(fails(edit("name: cifar_resnet", "name: vgg")), "s.yaml:9:9: model.name: model family 'vgg' is unknown", "cifar_resnet, resnet");
        contains(fails(edit("name: synthetic", "name: imagenet")), "s.yaml:5:9: data.name: must be one of fashion-mnist, cifar10, cifar100, synthetic, mix (got 'imagenet')");
        contains(fails(SWEEP + "attack: {name: salt}\n"), "s.yaml:13:16: attack.name: unknown norm 'salt'");
    }

    @Test
    void wrapperAroundANormThatCannotBeWrapped() throws Exception {
        String err = fails(edit("[bn]", "[identity]") + "attack: {name: constant}\n",
                "--plugins", plugins.resolve("identity").toString());
        contains(err, "attack.name:", "cannot wrap norm 'identity'", "Standardizable");
    }

    @Test
    void badOptionValueForAPlugin() throws Exception {
        contains(fails(SWEEP + "attack: {name: constant, options: {a: 100}}\n"),
                "s.yaml:13:39: attack.options.a: norm 'constant': option 'a' has value '100', but it must be a number in [-10, 10]");
        contains(fails(edit("[bn]", "[iebn]") + "norm: {options: {momentum: 2}}\n"),
                "norm.options.momentum: norm 'iebn': option 'momentum' has value '2', but it must be a number in [0, 1]");
    }

    @Test
    void twoPluginsWithTheSameName() throws Exception {
        contains(fails(SWEEP, "--plugins", plugins.resolve("twin").toString()),
                "two norm plugins are named 'bn'", "org.example.Twin", "org.normlab.norm.bn.BatchNormProvider");
    }

    @Test
    void aPluginWhoseFactoryThrows() throws Exception {
        contains(fails(edit("[bn]", "[thrower]"), "--plugins", plugins.resolve("thrower").toString()),
                "norm plugin 'thrower' (org.example.Thrower) failed to build a layer", "no layer today");
    }

    @Test
    void missingDatasetFolderSaysWhereItLookedAndHowToInstall() throws Exception {
        String err = fails(edit("name: synthetic", "name: fashion-mnist\n  path: /no/such/folder"));
        contains(err, "data.path:", "/no/such/folder", "apt-get install dataset-fashion-mnist");
    }

    @Test
    void truncatedGzipAndWrongIdxMagic() throws Exception {
        Path data = dir.resolve("fashion");
        Files.createDirectories(data);
        writeIdx(data.resolve("train-images-idx3-ubyte.gz"), 0x803, 2, true, false);
        writeIdx(data.resolve("train-labels-idx1-ubyte.gz"), 0x801, 2, false, false);
        writeIdx(data.resolve("t10k-images-idx3-ubyte.gz"), 0x803, 2, true, false);
        writeIdx(data.resolve("t10k-labels-idx1-ubyte.gz"), 0x801, 2, false, false);
        String sweep = edit("name: synthetic", "name: fashion-mnist\n  path: " + data).replace("batch_size: 16", "batch_size: 1");
        // sane files first: the sweep passes validation (dry run)
        Path file = dir.resolve("ok.yaml");
        Files.writeString(file, sweep);
        assertEquals(0, Jar.run(dir, file.toString(), "--dry-run").exit());
        writeIdx(data.resolve("train-images-idx3-ubyte.gz"), 0x803, 2, true, true);
        contains(fails(sweep), "train-images-idx3-ubyte.gz");
        writeIdx(data.resolve("train-images-idx3-ubyte.gz"), 0x1234, 2, true, false);
        contains(fails(sweep), "train-images-idx3-ubyte.gz", "magic");
    }

    @Test
    void imagesThatDoNotFitTheModel() throws Exception {
        // a batch of one image that shrinks to 1x1: batch norm has one value per channel
        String err = fails(edit("name: cifar_resnet\n  depth: 8", "name: resnet\n  depth: 18")
                .replace("size: 8", "size: 4").replace("batch_size: 16", "batch_size: 1"));
        contains(err, "s.yaml:5:9: data.name: images of 1x4x4 in batches of 1 do not fit model resnet depth 18",
                "more than 1 value per channel");
    }

    @Test
    void outputFolderNotWritable() throws Exception {
        Path file = dir.resolve("s.yaml");
        Files.writeString(file, SWEEP);
        Path blocker = dir.resolve("blocker");
        Files.writeString(blocker, "a file where a folder should be");
        Jar.Run run = Jar.run(dir, file.toString(), "--out", blocker.toString());
        assertEquals(2, run.exit(), run.all());
        contains(run.err(), "error: cannot create the output folder", "blocker");
    }

    @Test
    void setWithoutEqualsOrWithAnUnknownKey() throws Exception {
        contains(fails(SWEEP, "--set", "epochs"), "--set epochs: expected key=value");
        contains(fails(SWEEP, "--set", "epoc=2"), "--set epoc=2: unknown setting 'epoc' (did you mean 'epochs'?)");
    }

    @Test
    void baselineThatIsNotJson() throws Exception {
        Path baseline = dir.resolve("baseline.json");
        Files.writeString(baseline, "{\"groups\": [");
        Path results = dir.resolve("results");
        Files.createDirectories(results);
        Jar.Run run = Jar.run(dir, "report", results.toString(), "--baseline", baseline.toString());
        assertEquals(2, run.exit(), run.all());
        contains(run.err(), "baseline.json", "not valid JSON");
        assertFalse(run.err().contains("\tat "), run.err());
    }

    /** An IDX file of n 28x28 images or n labels; optionally cut short after the header. */
    private static void writeIdx(Path file, int magic, int n, boolean images, boolean truncated) throws IOException {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(raw)) {
            out.writeInt(magic);
            out.writeInt(n);
            if (images) {
                out.writeInt(28);
                out.writeInt(28);
            }
            out.write(new byte[images ? n * 28 * 28 : n]);
        }
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(raw.toByteArray());
        }
        byte[] bytes = gz.toByteArray();
        Files.write(file, truncated ? java.util.Arrays.copyOf(bytes, bytes.length / 2) : bytes);
    }

}

package org.normlab.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

    /** Every required top-level key (only name: today), misspelt: the unknown key, not the missing one. */
    @Test
    void aMisspeltRequiredKeyIsAnUnknownKeyWithTheNearestValidOne() throws Exception {
        String err = fails(edit("name: bad", "nmae: bad"));
        contains(err, "s.yaml:1:1: unknown setting 'nmae' (did you mean 'name'?); known keys here: ");
        assertFalse(err.contains("must be given"), err);
        contains(fails(edit("name: bad", "Name: bad")), "s.yaml:1:1: unknown setting 'Name' (did you mean 'name'?)");
        contains(fails(edit("seeds: [1]", "sedes: [1]")), "s.yaml:2:1: unknown setting 'sedes' (did you mean 'seeds'?)");
        // truly missing, it must be given
        contains(fails(edit("name: bad\n", "")), "'name' must be given: a sweep name is 1 to 100 letters, digits");
    }

    /**
     * A name that is given but is no folder name: what is wrong with it and what is allowed, never
     * "must be given" (SweepLoaderTest goes through every kind of bad name).
     */
    @Test
    void aSweepNameThatIsGivenButInvalidSaysWhatIsWrongWithIt() throws Exception {
        String allowed = "a sweep name is 1 to 100 letters, digits, '.', '_' or '-', starting with a letter or digit";
        java.util.Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("name: ..", "s.yaml:1:7: name: '..' starts with '.' (a folder of its own: it would write outside runs/)");
        cases.put("name: a/b", "s.yaml:1:7: name: 'a/b' contains '/' (a folder separator)");
        cases.put("name: ''", "s.yaml:1:7: name: is empty");
        cases.put("name:", "s.yaml:1:");
        for (var c : cases.entrySet()) {
            String err = fails(edit("name: bad", c.getKey()));
            contains(err, c.getValue(), allowed);
            assertFalse(err.contains("must be given"), err);
        }
        assertEquals(4, cases.size());
        contains(fails(SWEEP, "--set", "name=a/b"), "--set name=a/b: name: 'a/b' contains '/'", allowed);
    }

    /** A .jar in the plugins folder that does not open as one stops the run, named; other files are left alone. */
    @Test
    void aPluginsFolderEntryNamedJarThatIsNoJarIsAnError() throws Exception {
        Path good = plugins.resolve("identity/identity.jar");
        byte[] jar = Files.readAllBytes(good);
        record Bad(String name, java.util.function.Consumer<Path> make, String says) {}
        List<Bad> cases = List.of(
                new Bad("text.jar", at -> write(at, "not a jar\n".getBytes()), "is not a readable jar ("),
                new Bad("truncated.jar", at -> write(at, java.util.Arrays.copyOf(jar, jar.length / 2)), "is not a readable jar ("),
                new Bad("empty.jar", at -> write(at, new byte[0]), "is not a readable jar ("),
                new Bad("folder.jar", BadInputIT::mkdirs, "is a folder, not a jar file"),
                new Bad("UPPER.JAR", at -> write(at, "not a jar either\n".getBytes()), "is not a readable jar ("),
                new Bad("dangling.jar", at -> link(at, at.resolveSibling("no-such-file")), "is a link to nothing"));
        int n = 0;
        for (Bad bad : cases) {
            Path folder = Files.createDirectories(dir.resolve("p" + n++));
            Files.copy(good, folder.resolve("identity.jar"));
            bad.make().accept(folder.resolve(bad.name()));
            contains(fails(SWEEP, "--plugins", folder.toString()), "error: plugin " + folder.resolve(bad.name()) + " " + bad.says(),
                    "; every *.jar in the plugins folder is loaded: replace it with a working build of the plugin, or move it out");
        }
        assertEquals(6, n);
        // the default folder, plugins/ in the working directory, the same, --dry-run too
        Path work = Files.createDirectories(dir.resolve("work"));
        copyTree(dir.resolve("p1"), work.resolve("plugins"));
        Files.writeString(work.resolve("s.yaml"), SWEEP);
        Jar.Run run = Jar.run(work, "s.yaml", "--dry-run");
        assertEquals(2, run.exit(), run.all());
        contains(run.err(), "error: plugin plugins/truncated.jar is not a readable jar");
        assertFalse(Files.exists(work.resolve("runs")), "nothing written");

        // files not named .jar are left alone: the run goes on with the jars
        Path withReadme = Files.createDirectories(dir.resolve("readme"));
        Files.copy(good, withReadme.resolve("identity.jar"));
        Files.writeString(withReadme.resolve("README.txt"), "the plugins of this study\n");
        Files.writeString(withReadme.resolve("identity.jar.sha256"), "abc\n");
        Path file = dir.resolve("ok.yaml");
        Files.writeString(file, edit("[bn]", "[identity]"));
        Jar.Run ok = Jar.run(dir, file.toString(), "--dry-run", "--plugins", withReadme.toString());
        assertEquals(0, ok.exit(), ok.all());
    }

    /** A subset larger than its split is refused before anything trains, for every data source. */
    @Test
    void aSubsetLargerThanItsSplitIsRefusedWithTheSplitsSize() throws Exception {
        // synthetic: 64 training, 32 validation images
        contains(fails(edit("batch_size: 16", "batch_size: 16\n  val_subset: 33")),
                "s.yaml:7:15: data.val_subset: 33 is more than the 32 validation images of synthetic; use at most 32, or 0 for all of them");
        contains(fails(edit("batch_size: 16", "batch_size: 16\n  train_subset: 65")),
                "s.yaml:7:17: data.train_subset: 65 is more than the 64 training images of synthetic; use at most 64");
        contains(fails(SWEEP, "--set", "data.val_subset=33"), "--set data.val_subset=33: data.val_subset: 33 is more than the 32");
        contains(fails(SWEEP.replace("  norm.name: [bn]", "  norm.name: [bn]\n  data.val_subset: [8, 40]")),
                "s.yaml:13:", "data.val_subset: 40 is more than the 32 validation images of synthetic");
        Path exact = dir.resolve("exact.yaml");
        Files.writeString(exact, edit("batch_size: 16", "batch_size: 16\n  train_subset: 64\n  val_subset: 32"));
        assertEquals(0, Jar.run(dir, exact.toString(), "--dry-run").exit(), "the whole split is a valid subset");

        // fashion-mnist and mix (fashion-mnist and its inverse): 3 training, 2 validation images
        Path fashion = Files.createDirectories(dir.resolve("fashion"));
        writeIdx(fashion.resolve("train-images-idx3-ubyte.gz"), 0x803, 3, true, false);
        writeIdx(fashion.resolve("train-labels-idx1-ubyte.gz"), 0x801, 3, false, false);
        writeIdx(fashion.resolve("t10k-images-idx3-ubyte.gz"), 0x803, 2, true, false);
        writeIdx(fashion.resolve("t10k-labels-idx1-ubyte.gz"), 0x801, 2, false, false);
        // cifar10 (binary version): 5 training batches of one image, 2 validation images
        Path cifar = Files.createDirectories(dir.resolve("cifar/cifar-10-batches-bin"));
        Files.writeString(cifar.resolve("batches.meta.txt"), "airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n");
        for (int b = 1; b <= 5; b++) {
            Files.write(cifar.resolve("data_batch_" + b + ".bin"), cifarRecords(1, b));
        }
        Files.write(cifar.resolve("test_batch.bin"), cifarRecords(2, 0));
        java.util.Map<String, String> sources = new java.util.LinkedHashMap<>();
        sources.put("fashion-mnist", "name: fashion-mnist\n  path: " + fashion);
        sources.put("mix", "name: mix\n  path: " + fashion);
        sources.put("cifar10", "name: cifar10\n  path: " + cifar);
        java.util.Map<String, int[]> sizes = java.util.Map.of("fashion-mnist", new int[] {3, 2}, "mix", new int[] {-1, -1},
                "cifar10", new int[] {5, 2});
        for (var source : sources.entrySet()) {
            String sweep = edit("name: synthetic", source.getValue()).replace("batch_size: 16", "batch_size: 1");
            int[] size = sizes.get(source.getKey());
            if (size[0] < 0) { // mix: the split sizes are the mix's own; take them from the dry run's refusal of a huge subset
                String err = fails(sweep.replace("batch_size: 1", "batch_size: 1\n  val_subset: 1000000"), "--dry-run");
                contains(err, "data.val_subset: 1000000 is more than the ", " validation images of mix");
                continue;
            }
            contains(fails(sweep.replace("batch_size: 1", "batch_size: 1\n  val_subset: " + (size[1] + 1)), "--dry-run"),
                    "data.val_subset: " + (size[1] + 1) + " is more than the " + size[1] + " validation images of " + source.getKey());
            contains(fails(sweep.replace("batch_size: 1", "batch_size: 1\n  train_subset: " + (size[0] + 1))),
                    "data.train_subset: " + (size[0] + 1) + " is more than the " + size[0] + " training images of " + source.getKey());
        }
        assertEquals(3, sources.size());
    }

    /** n CIFAR binary records (label byte + 3072 pixels), labels from {@code first}. */
    private static byte[] cifarRecords(int n, int first) {
        byte[] out = new byte[n * 3073];
        for (int i = 0; i < n; i++) {
            out[i * 3073] = (byte) ((first + i) % 10);
            for (int p = 1; p < 3073; p++) {
                out[i * 3073 + p] = (byte) (p * 7 + i);
            }
        }
        return out;
    }

    private static void write(Path file, byte[] bytes) {
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void mkdirs(Path folder) {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void link(Path link, Path target) {
        try {
            Files.createSymbolicLink(link, target);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (var entries = Files.list(from)) {
            for (Path p : entries.toList()) {
                Path target = to.resolve(p.getFileName().toString());
                if (Files.isSymbolicLink(p)) {
                    Files.createSymbolicLink(target, Files.readSymbolicLink(p));
                } else if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
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
    void shortcutNormIsSameOrANorm() throws Exception {
        contains(fails(edit("depth: 8", "depth: 8\n  shortcut_norm: bx")), "s.yaml:11:18: model.shortcut_norm: 'bx' is neither "
                + "same nor a norm (did you mean 'bn'?); allowed: same, bn, brn, constant, evonorm_b0, evonorm_s0, frn, gaussian, "
                + "ghost, gn, iebn, in, ln");
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

package org.normlab.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A researcher's plugin: compiled here against the published SPI only, packed into a jar with
 * its own services file, dropped into plugins/, and found by the fat jar without rebuilding
 * anything.
 */
class PluginJarIT {

    private static final String SOURCE = String.join("\n",
            "package org.example;",
            "import ai.djl.nn.Block;",
            "import java.util.List;",
            "import org.normlab.norm.*;",
            "public final class HalfBn implements NormProvider {",
            "    public String name() { return \"half-bn\"; }",
            "    public String description() { return \"bn with half the momentum\"; }",
            "    public List<NormOption> options() { return BatchNormOptions.ALL; }",
            "    public Block create(NormSpec spec) {",
            "        java.util.Map<String, Object> o = new java.util.HashMap<>(spec.options().asMap());",
            "        o.put(\"momentum\", spec.options().getDouble(\"momentum\") / 2);",
            "        return spec.registry().factory(\"bn\", o).create(spec.channels());",
            "    }",
            "}",
            "");

    @TempDir static Path work;

    @BeforeAll
    static void buildPluginJar() throws IOException {
        PluginJars.build(work.resolve("plugins/half-bn.jar"), "org.example.HalfBn", SOURCE);
    }

    @Test
    void pluginsFolderInTheWorkingDirectoryIsScannedByDefault() throws Exception {
        Jar.Run run = Jar.run(work, "norms");
        assertEquals(0, run.exit(), run.all());
        assertTrue(run.out().lines().anyMatch(l -> l.startsWith("half-bn ")), run.out());
        assertTrue(run.out().lines().anyMatch(l -> l.startsWith("iebn ")), run.out());
    }

    @Test
    void pluginsOptionPointsAnywhere() throws Exception {
        Path elsewhere = Files.createTempDirectory("no-plugins-here");
        Jar.Run run = Jar.run(elsewhere, "norms", "--plugins", work.resolve("plugins").toString());
        assertTrue(run.out().lines().anyMatch(l -> l.startsWith("half-bn ")), run.out());
        Jar.Run without = Jar.run(elsewhere, "norms");
        assertTrue(without.out().lines().noneMatch(l -> l.startsWith("half-bn ")), without.out());
    }

    @Test
    void thePluginPassesTheBnFixtureAtItsOwnMomentum() throws Exception {
        // half-bn with momentum 0.2 is bn with momentum 0.1: it must reproduce PyTorch's numbers.
        Jar.Run run = Jar.run(work, "verify-norm", Jar.fixture("bn"), "--norm", "half-bn", "--option", "momentum=0.2");
        assertEquals(0, run.exit(), run.all());
        Jar.Run wrong = Jar.run(work, "verify-norm", Jar.fixture("bn"), "--norm", "half-bn");
        assertEquals(1, wrong.exit(), wrong.all());
    }

    @Test
    void aMissingPluginsFolderGivenExplicitlyIsAnError() throws Exception {
        Jar.Run run = Jar.run(work, "norms", "--plugins", "nowhere");
        assertEquals(2, run.exit(), run.all());
        assertTrue(run.err().contains("--plugins nowhere: no such folder"), run.err());
    }

}

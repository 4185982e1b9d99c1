package org.normlab.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two example plugins that are not shaped like BN, built from outside as {@link PluginKitIT}
 * builds the template: examples/norm-dyt (Dynamic Tanh, one scalar parameter) and
 * examples/norm-mobn (mean-only BN: no variance, no eps, its own step). Each is copied out of the
 * checkout and built offline against this checkout's norm-api (its own conformance test runs in
 * that build); then verify-norm on their fixtures (a wrong alpha_init and the constant attack
 * around mobn included) and a small sweep with eval.stats and log.layers.
 */
class ExamplePluginsIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir static Path work;

    @BeforeAll
    static void buildBothExamplesAsAUserWould() throws Exception {
        Path repo = PluginKitIT.linkedLocalRepository(work.resolve("repo"));
        Path normApiJar = Jar.PROJECT.resolve("norm-api/target/norm-api-0.1.0-SNAPSHOT.jar");
        assertTrue(Files.isRegularFile(normApiJar), normApiJar + " is missing: build with -am");
        String install = "org.apache.maven.plugins:maven-install-plugin:3.1.4:install-file";
        PluginKitIT.mvn(Jar.PROJECT, repo, install, "-Dfile=pom.xml", "-DpomFile=pom.xml");
        PluginKitIT.mvn(Jar.PROJECT, repo, install, "-Dfile=" + normApiJar, "-DpomFile=norm-api/pom.xml");
        Files.createDirectories(work.resolve("run/plugins"));
        for (String example : List.of("dyt", "mobn")) {
            Path project = work.resolve(example);
            PluginKitIT.copy(Jar.PROJECT.resolve("examples/norm-" + example), project);
            PluginKitIT.mvn(project, repo, "package");
            String jar = example + "-norm-1.0.0.jar";
            Files.copy(project.resolve("target/" + jar), work.resolve("run/plugins/" + jar));
        }
    }

    private static Path fixture(String example, String name) {
        return work.resolve(example + "/src/test/resources/fixtures/" + name + ".json");
    }

    @Test
    void normsListsBothFromTheirJars() throws Exception {
        Jar.Run run = Jar.run(work.resolve("run"), "norms");
        assertEquals(0, run.exit(), run.all());
        for (String norm : List.of("dyt", "mobn")) {
            assertTrue(run.out().contains("plugins/" + norm + "-norm-1.0.0.jar, version 1.0.0"), run.out());
        }
    }

    @Test
    void dytPassesAndAnIgnoredAlphaInitFailsOnTheScalar() throws Exception {
        Jar.Run run = Jar.run(work.resolve("run"), "verify-norm", fixture("dyt", "dyt").toString());
        assertEquals(0, run.exit(), run.all());
        assertTrue(run.out().contains("init.alpha") && run.out().lines().anyMatch(l -> l.equals("PASS")), run.out());
        Jar.Run wrong = Jar.run(work.resolve("run"), "verify-norm", fixture("dyt", "dyt").toString(), "--option", "alpha_init=1");
        assertEquals(1, wrong.exit(), wrong.all());
        assertTrue(wrong.out().contains("init.alpha") && wrong.out().contains("worst at (scalar)")
                && wrong.out().contains("FAIL: 1 of"), wrong.out());
    }

    @Test
    void mobnPassesAloneAndUnderTheConstantAttackThatWrapsItsStep() throws Exception {
        Jar.Run run = Jar.run(work.resolve("run"), "verify-norm", fixture("mobn", "mobn").toString());
        assertEquals(0, run.exit(), run.all());
        assertTrue(run.out().contains("train.running_mean_after") && !run.out().contains("running_var"), run.out());
        Jar.Run attacked = Jar.run(work.resolve("run"), "verify-norm", fixture("mobn", "mobn-constant").toString());
        assertEquals(0, attacked.exit(), attacked.all());
        // Without the attack's perturbation the attacked fixture fails: the check sees the wrapper.
        Jar.Run unattacked = Jar.run(work.resolve("run"), "verify-norm", fixture("mobn", "mobn-constant").toString(),
                "--option", "a=1.0", "--option", "b=0.0");
        assertEquals(1, unattacked.exit(), unattacked.all());
        assertTrue(unattacked.out().contains("train.y") && unattacked.out().contains("FAIL"), unattacked.out());
    }

    @Test
    void aSweepGivesMobnItsOwnInstrumentsAndDytNone() throws Exception {
        Files.writeString(work.resolve("run/examples.yaml"), """
                name: examples
                seeds: [1]
                epochs: 1
                device: cpu
                checkpoints: false
                data: {name: synthetic, batch_size: 16, synthetic: {classes: 3, channels: 1, size: 8, train: 64, val: 32}}
                model: {name: cifar_resnet, depth: 8}
                eval: {stats: [ema, precise, batch], precise_images: 32}
                log: {layers: {every_steps: 2}}
                grid:
                  norm.name: [dyt, mobn]
                """);
        Jar.Run run = Jar.run(work.resolve("run"), "examples.yaml", "--out", work.resolve("run/out").toString());
        assertEquals(0, run.exit(), run.all());
        assertTrue(run.all().contains("eval.stats: dyt has no running statistics"), run.all());
        Map<String, Path> trials = new java.util.HashMap<>();
        try (Stream<Path> files = Files.walk(work.resolve("run/out/examples"))) {
            for (Path f : files.filter(f -> f.getFileName().toString().equals("result.json")).toList()) {
                trials.put(JSON.readTree(f.toFile()).path("swept").path("norm.name").asText(), f.getParent());
            }
        }
        assertEquals(2, trials.size(), trials.toString());
        JsonNode dyt = JSON.readTree(trials.get("dyt").resolve("result.json").toFile()).path("metrics");
        assertFalse(dyt.has("final_val_acc_batch") || dyt.has("final_val_acc_precise"), dyt.toString());
        JsonNode mobn = JSON.readTree(trials.get("mobn").resolve("result.json").toFile()).path("metrics");
        for (String k : List.of("final_val_acc_ema", "final_val_acc_precise", "final_val_acc_batch")) {
            double v = mobn.path(k).asDouble(Double.NaN);
            assertTrue(v >= 0 && v <= 1, k + " of mobn: " + mobn);
        }
        // mobn keeps no running variance: its mean_dev and std_logratio cells are empty, never computed.
        List<Map<String, String>> rows = new ArrayList<>();
        try (MappingIterator<Map<String, String>> it = new CsvMapper().readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(trials.get("mobn").resolve("layers.csv").toFile())) {
            it.forEachRemaining(rows::add);
        }
        assertEquals(2 * 7, rows.size(), "4 steps sampled every 2: 2 samples x 7 norm layers");
        for (Map<String, String> r : rows) {
            assertEquals("", r.get("std_logratio"), r.toString());
            assertEquals("", r.get("mean_dev"), r.toString());
            assertEquals("mobn", r.get("norm"));
        }
    }
}

package org.normlab.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The template plugin (examples/norm-plugin-template) built as an outside user would, following
 * the README's steps: norm-api installed from this checkout into a local repository, the
 * example copied out of the checkout and built offline with Maven, its jar dropped into
 * plugins/, then norms, verify-norm and a small sweep with the fat jar.
 *
 * <p>The local repository is a temporary one, so the shared ~/.m2 gets no NormLab snapshot:
 * it links every cached artifact of ~/.m2 (plugins and dependencies, needed offline) except
 * org/normlab, which the install puts there for real.
 */
class PluginKitIT {

    @TempDir static Path work;
    static Path pluginJar;

    @BeforeAll
    static void buildTheTemplateAsAUserWould() throws Exception {
        Path repo = linkedLocalRepository(work.resolve("repo"));
        Path normApiJar = Jar.PROJECT.resolve("norm-api/target/norm-api-0.1.0-SNAPSHOT.jar");
        assertTrue(Files.isRegularFile(normApiJar), normApiJar + " is missing: build with -am");
        String install = "org.apache.maven.plugins:maven-install-plugin:3.1.4:install-file";
        mvn(Jar.PROJECT, repo, install, "-Dfile=pom.xml", "-DpomFile=pom.xml");
        mvn(Jar.PROJECT, repo, install, "-Dfile=" + normApiJar, "-DpomFile=norm-api/pom.xml");
        Path project = work.resolve("my-plugin");
        copy(Jar.PROJECT.resolve("examples/norm-plugin-template"), project);
        mvn(project, repo, "package");
        pluginJar = project.resolve("target/rms-norm-1.0.0.jar");
        Files.createDirectories(work.resolve("run/plugins"));
        Files.copy(pluginJar, work.resolve("run/plugins/rms-norm-1.0.0.jar"));
    }

    @Test
    void normsListsThePluginWithItsJarAndVersion() throws Exception {
        Jar.Run run = Jar.run(work.resolve("run"), "norms");
        assertEquals(0, run.exit(), run.all());
        List<String> lines = run.out().lines().toList();
        int at = lines.indexOf(lines.stream().filter(l -> l.startsWith("rms ")).findFirst().orElseThrow(
                () -> new AssertionError("rms missing:\n" + run.out())));
        String from = lines.get(at + 1).trim();
        assertTrue(from.startsWith("from ") && from.contains("plugins/rms-norm-1.0.0.jar, version 1.0.0, sha256 "), from);
        String bn = lines.get(lines.indexOf(lines.stream().filter(l -> l.startsWith("bn ")).findFirst().orElseThrow()) + 1);
        assertTrue(bn.trim().startsWith("from built in, version 0.1.0-SNAPSHOT"), bn);
    }

    @Test
    void twoCopiesOfThePluginJarAreAnErrorNamingBoth() throws Exception {
        Path twice = work.resolve("twice");
        Files.createDirectories(twice);
        Files.copy(pluginJar, twice.resolve("rms-norm-1.0.0.jar"));
        Files.copy(pluginJar, twice.resolve("rms-norm-copy.jar"));
        Jar.Run run = Jar.run(work.resolve("run"), "norms", "--plugins", twice.toString());
        assertEquals(2, run.exit(), run.all());
        assertTrue(run.err().contains("two jars provide norm 'rms'") && run.err().contains("rms-norm-1.0.0.jar")
                && run.err().contains("rms-norm-copy.jar"), run.err());
    }

    @Test
    void verifyNormPassesTheTemplatesFixture() throws Exception {
        Path fixture = work.resolve("my-plugin/src/test/resources/fixtures/rms.json");
        Jar.Run run = Jar.run(work.resolve("run"), "verify-norm", fixture.toString());
        assertEquals(0, run.exit(), run.all());
        assertTrue(run.out().lines().anyMatch(l -> l.equals("PASS")), run.out());
        Jar.Run wrong = Jar.run(work.resolve("run"), "verify-norm", fixture.toString(), "--option", "eps=0.5");
        assertEquals(1, wrong.exit(), wrong.all());
        assertTrue(wrong.out().contains("worst at (N,C,H,W)="), wrong.out());
    }

    @Test
    void aSmallSweepTrainsWithThePlugin() throws Exception {
        Path sweep = work.resolve("run/rms.yaml");
        Files.writeString(sweep, String.join("\n",
                "name: rms-plugin",
                "seeds: [1]",
                "epochs: 1",
                "device: cpu",
                "checkpoints: false",
                "data:",
                "  name: synthetic",
                "  batch_size: 16",
                "  synthetic: {classes: 3, channels: 1, size: 8, train: 64, val: 32}",
                "model:",
                "  name: cifar_resnet",
                "  depth: 8",
                "grid:",
                "  norm.name: [rms, gn]",
                ""));
        Jar.Run run = Jar.run(work.resolve("run"), sweep.toString(), "--out", work.resolve("run/out").toString());
        assertEquals(0, run.exit(), run.all());
        try (Stream<Path> files = Files.walk(work.resolve("run/out"))) {
            long results = files.filter(f -> f.getFileName().toString().equals("result.json")).count();
            assertEquals(2, results, run.all());
        }
    }

    /** A local repository of links to ~/.m2's contents, org/normlab left out (ExamplePluginsIT uses it too). */
    static Path linkedLocalRepository(Path repo) throws IOException {
        Path m2 = Path.of(System.getProperty("maven.repo.local", System.getProperty("user.home") + "/.m2/repository"));
        Files.createDirectories(repo.resolve("org"));
        try (Stream<Path> top = Files.list(m2)) {
            for (Path p : top.toList()) {
                if (!p.getFileName().toString().equals("org")) {
                    Files.createSymbolicLink(repo.resolve(p.getFileName().toString()), p);
                }
            }
        }
        try (Stream<Path> org = Files.list(m2.resolve("org"))) {
            for (Path p : org.toList()) {
                if (!p.getFileName().toString().equals("normlab")) {
                    Files.createSymbolicLink(repo.resolve("org").resolve(p.getFileName().toString()), p);
                }
            }
        }
        return repo;
    }

    static void mvn(Path dir, Path repo, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("mvn", "-B", "-o", "-q", "-Dmaven.repo.local=" + repo));
        command.addAll(List.of(args));
        Path log = Files.createTempFile("mvn", ".log");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        boolean done = p.waitFor(5, TimeUnit.MINUTES);
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.delete(log);
        if (!done) {
            p.destroyForcibly();
        }
        assertTrue(done && p.exitValue() == 0, String.join(" ", command) + " in " + dir + " failed:\n" + output);
    }

    static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.filter(f -> !f.toString().contains("/target")).toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }
}

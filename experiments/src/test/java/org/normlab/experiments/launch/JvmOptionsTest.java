package org.normlab.experiments.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One set of JVM options: what java makes of jvm.options, what bin/normlab passes, what the launchers read. */
class JvmOptionsTest {

    private static final Path PROJECT = Path.of("..").toAbsolutePath().normalize();
    private static final Path FILE = PROJECT.resolve(JvmOptions.SOURCE);

    @TempDir Path tmp;

    @Test
    void theLaunchersReadTheHeapYoungGenerationAndDirectMemoryLimits() {
        assertEquals(List.of("-Xmx6g", "-Xmn64m", "-XX:MaxDirectMemorySize=1g", "-XX:TieredStopAtLevel=1"), JvmOptions.defaults());
    }

    @Test
    void javaReadsTheFileAsTheLaunchersDo() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Result r = run(Map.of(), java, "@" + FILE, "-cp", System.getProperty("java.class.path"),
                PrintJvmArguments.class.getName());
        assertEquals(0, r.exit, r.err);
        assertEquals(JvmOptions.defaults(), r.out.lines().toList(), "java's own reading of the argument file");
    }

    @Test
    void commentsAndBlanksAreSkippedAsJavaSkipsThem() {
        assertEquals(List.of("-Xmx1g", "-Da=b", "-Xss2m"), JvmOptions.parse("# why\n\n  -Xmx1g   # heap\n-Da=b -Xss2m\n"));
    }

    @Test
    void binNormlabPassesTheSameFileToJava() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")), "bash is not installed");
        // A copy of the project's layout: bin/normlab, a jar newer than every source, the options file.
        Path root = tmp.resolve("project");
        Files.createDirectories(root.resolve("bin"));
        Files.copy(PROJECT.resolve("bin/normlab"), root.resolve("bin/normlab"));
        Path options = root.resolve(JvmOptions.SOURCE);
        Files.createDirectories(options.getParent());
        Files.copy(FILE, options);
        Path jar = root.resolve("experiments/target/experiments.jar");
        Files.createDirectories(jar.getParent());
        Files.writeString(jar, "");
        jar.toFile().setLastModified(System.currentTimeMillis() + 60_000);
        Path fakeJava = tmp.resolve("path/java");
        Files.createDirectories(fakeJava.getParent());
        Files.writeString(fakeJava, "#!/bin/bash\nprintf '%s\\n' \"$@\"\n");
        fakeJava.toFile().setExecutable(true);
        String path = fakeJava.getParent() + ":/usr/bin:/bin";

        Result r = run(Map.of("PATH", path), "/bin/bash", root.resolve("bin/normlab").toString(), "norms");
        assertEquals(0, r.exit, r.err);
        assertEquals(List.of("@" + options, "-jar", jar.toString(), "norms"), r.out.lines().toList());

        Result own = run(Map.of("PATH", path, "NORMLAB_JAVA_OPTS", "-Xmx1g -Dx=y"), "/bin/bash",
                root.resolve("bin/normlab").toString(), "norms");
        assertEquals(List.of("-Xmx1g", "-Dx=y", "-jar", jar.toString(), "norms"), own.out.lines().toList(),
                "NORMLAB_JAVA_OPTS replaces the file");
    }

    private record Result(int exit, String out, String err) {}

    private Result run(Map<String, String> env, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("NORMLAB_JAVA_OPTS");
        pb.environment().putAll(env);
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("timed out: " + List.of(command));
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}

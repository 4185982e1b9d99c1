package org.normlab.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.normlab.experiments.launch.JvmOptions;

/**
 * {@code doctor} from the fat jar, its lines checked against what the test finds out itself (this
 * JVM, glibc's getconf, the files on disk), and the one-line summary {@code run} starts with.
 */
class DoctorIT {

    private static final String OPTIONS_FILE = Jar.PROJECT.resolve(JvmOptions.SOURCE).toString();
    private static final List<String> KEYS = List.of("NormLab", "Java", "JVM options", "Machine", "DJL", "PyTorch", "Natives",
            "CUDA", "GPUs", "Threads", "Determinism", "malloc", "Plugins", "Datasets");
    private static final boolean NVIDIA = Files.exists(Path.of("/proc/driver/nvidia/version"))
            || Files.exists(Path.of("/dev/nvidia0"));
    private static final int CORES = Runtime.getRuntime().availableProcessors();

    @TempDir static Path work;
    static Path pluginJar;

    @BeforeAll
    static void aPluginJar() throws Exception {
        pluginJar = work.resolve("plugins/echo.jar");
        PluginJars.build(pluginJar, "org.example.Echo", PluginJars.provider("Echo", "echo-norm", "return null;"));
    }

    @Test
    void theEnvironmentAsTheTestFindsIt() throws Exception {
        Jar.Run run = Jar.run(work, List.of("@" + OPTIONS_FILE, "-Dai.djl.pytorch.num_threads=1",
                "-Dai.djl.pytorch.num_interop_threads=1"), "doctor");
        assertEquals(0, run.exit(), run.all());
        Map<String, List<String>> r = sections(run.out());
        assertEquals(KEYS, List.copyOf(r.keySet()), run.out());

        assertEquals("0.1.0 (" + Jar.JAR + ")", r.get("NormLab").get(0));
        assertTrue(r.get("Java").get(0).startsWith(System.getProperty("java.version") + " ("), run.out());
        assertEquals(String.join(" ", JvmOptions.defaults()) + " -Dai.djl.pytorch.num_threads=1 "
                + "-Dai.djl.pytorch.num_interop_threads=1 (has bin/normlab's)", r.get("JVM options").get(0));
        assertTrue(r.get("Machine").get(0).contains(", " + CORES + " cores, ") && r.get("Machine").get(0).endsWith(
                "JVM heap at most 6.0 GiB"), run.out());
        assertEquals(Engine.getDjlVersion(), r.get("DJL").get(0));
        assertTrue(r.get("PyTorch").get(0).startsWith("2.7.1, flavor cpu, "), run.out());
        String natives = r.get("Natives").get(0);
        assertTrue(natives.startsWith("bundled in the jar, unpacked to "), natives);
        Path dir = Path.of(natives.substring("bundled in the jar, unpacked to ".length()));
        assertTrue(Files.isRegularFile(dir.resolve("libtorch_cpu.so")), dir + " holds the library DJL loaded");
        if (!NVIDIA) {
            assertEquals("no NVIDIA driver; no CUDA runtime library found", r.get("CUDA").get(0));
            assertEquals("none seen by DJL: no NVIDIA driver on this machine (no /proc/driver/nvidia/version, no /dev/nvidia0)",
                    r.get("GPUs").get(0));
        }
        assertEquals("PyTorch 1 intra-op, 1 inter-op, of " + CORES + " cores (--threads T sets T and 1)",
                r.get("Threads").get(0), "the engine's own counts, set by the -D options above");
        assertTrue(r.get("Determinism").get(0).startsWith("not checked here: `doctor --determinism` trains one step twice "
                + "per norm and compares every tensor bit for bit (CPU flags: "), run.out());
        if (Files.readString(Path.of("/proc/cpuinfo")).contains(" avx2 ")) {
            assertTrue(r.get("Determinism").get(0).contains("avx2"), run.out());
        }
        assertEquals(glibc() + ": malloc keeps freed memory", r.get("malloc").get(0));

        List<String> plugins = r.get("Plugins");
        assertEquals(3, plugins.size(), run.out());
        assertEquals("folder " + work.resolve("plugins") + ": 1 jar(s)", plugins.get(0));
        assertTrue(plugins.contains("norms echo-norm from " + pluginJar), run.out());
        String builtIn = plugins.stream().filter(l -> l.endsWith("(built in)")).findFirst().orElseThrow();
        assertTrue(List.of(builtIn.substring("norms ".length(), builtIn.length() - " (built in)".length()).split(", "))
                .containsAll(List.of("bn", "iebn")), builtIn);

        boolean fashion = Files.isRegularFile(Path.of("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"));
        assertEquals("fashion-mnist: /usr/share/datasets/fashion-mnist " + (fashion ? "(found)"
                : "(not found; Debian's dataset-fashion-mnist puts it there)"), r.get("Datasets").get(0));
        assertEquals("cifar10, cifar100: no default folder (data.path in the sweep)", r.get("Datasets").get(1));
    }

    /** Every norm found (built-in and the plugin's) agrees with itself; the unseeded plugin norm is named. */
    @Test
    void determinismTrainsEachNormTwiceAndNamesTheFirstThatDiffers() throws Exception {
        Path plugins = work.resolve("noisy-plugins");
        PluginJars.build(plugins.resolve("noisy.jar"), "org.example.Noisy", PluginJars.provider("Noisy", "noisy",
                "return LambdaBlock.singleton(x -> x.mul(1f + new java.util.Random().nextFloat()));"));
        Jar.Run ok = Jar.run(work, List.of(), "doctor", "--determinism", "--norm", "bn,iebn", "--plugins", plugins.toString());
        assertEquals(0, ok.exit(), ok.all());
        List<String> lines = ok.out().lines().toList();
        assertEquals(3, lines.size(), ok.out());
        assertTrue(lines.get(0).startsWith("determinism: one training step of CIFAR ResNet-8 (3x16x16, batch 16), twice per "
                + "norm, " + CORES + " thread(s), CPU flags "), ok.out());
        assertTrue(lines.get(1).matches("bn {11}\\d+ tensors agree bit for bit"), ok.out());
        assertTrue(lines.get(2).matches("iebn {9}\\d+ tensors agree bit for bit"), ok.out());

        Jar.Run noisy = Jar.run(work, List.of(), "doctor", "--determinism", "--norm", "gn,noisy,bn", "--plugins",
                plugins.toString());
        assertEquals(1, noisy.exit(), noisy.all());
        assertTrue(noisy.out().contains("noisy        DIFFERS: logits differs at element 0 ("), noisy.out());
        assertTrue(noisy.err().contains("error: norm noisy: two identical training steps differ: logits differs at element 0"),
                noisy.err());
        assertTrue(!noisy.out().contains("\nbn "), "stops at the first norm that differs: " + noisy.out());

        Jar.Run unknown = Jar.run(work, List.of(), "doctor", "--determinism", "--norm", "bnn");
        assertEquals(2, unknown.exit(), unknown.all());
        assertTrue(unknown.err().contains("'bnn'"), unknown.err());
        Jar.Run stray = Jar.run(work, List.of(), "doctor", "--norm", "bn");
        assertEquals(2, stray.exit(), stray.all());
        assertTrue(stray.err().contains("--norm is for --determinism"), stray.err());
    }

    @Test
    void missingJvmOptionsMallocVariablesAndNoGpuAreSaid() throws Exception {
        Jar.Run run = jar(Map.of("MALLOC_TOP_PAD_", "1048576"), "doctor", "--require-gpu");
        Map<String, List<String>> r = sections(run.out());
        assertTrue(r.get("JVM options").get(0).endsWith("(without bin/normlab's " + String.join(" ", JvmOptions.defaults())
                + ": resident memory grows; see " + JvmOptions.SOURCE + ")"), run.out());
        assertEquals("MALLOC_* environment variables set: allocator left to them {MALLOC_TOP_PAD_=1048576}",
                r.get("malloc").get(0));
        if (!NVIDIA) {
            assertEquals(1, run.exit(), run.all());
            assertEquals("error: --require-gpu: DJL sees no GPU (see GPUs above)", run.err().strip());
        }
    }

    @Test
    void runStartsWithTheSummaryLine() throws Exception {
        Jar.Run run = Jar.run(work, "run", Jar.sweep("smoke.yaml"), "--threads", "1", "--set", "epochs=1", "--set",
                "seeds=[1]", "--set", "grid.norm.name=[bn]", "--out", "runs");
        assertEquals(0, run.exit(), run.all());
        assertEquals("NormLab 0.1.0, Java " + System.getProperty("java.version") + ", DJL " + Engine.getDjlVersion()
                + ", PyTorch 2.7.1 cpu, " + (NVIDIA ? "" : "no GPU, ") + "1 thread(s) of " + CORES + " cores (details: doctor)",
                NVIDIA ? run.out().lines().findFirst().orElseThrow().replaceFirst("\\d+ GPU\\(s\\), ", "")
                        : run.out().lines().findFirst().orElseThrow());
    }

    /** The report's lines by key: "Key:" in the first 13 columns, continuation lines indented. */
    private static Map<String, List<String>> sections(String out) {
        Map<String, List<String>> sections = new LinkedHashMap<>();
        String key = null;
        for (String line : out.lines().toList()) {
            String head = line.substring(0, Math.min(13, line.length())).strip();
            if (!head.isEmpty()) {
                key = head.substring(0, head.length() - 1);
                sections.put(key, new ArrayList<>());
            }
            sections.get(key).add(line.substring(13));
        }
        return sections;
    }

    /** glibc's version as getconf says it, e.g. "glibc 2.36". */
    private static String glibc() throws Exception {
        Process p = new ProcessBuilder("getconf", "GNU_LIBC_VERSION").start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        return new String(p.getInputStream().readAllBytes()).strip();
    }

    private static Jar.Run jar(Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", Jar.JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(work.toFile());
        pb.environment().putAll(env);
        Path out = Files.createTempFile(work, "out", ".txt");
        Path err = Files.createTempFile(work, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "doctor finished");
        return new Jar.Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }
}

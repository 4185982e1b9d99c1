package org.normlab.experiments.cli;

import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.pytorch.jni.LibUtils;
import ai.djl.util.cuda.CudaUtils;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.normlab.results.UserError;
import org.normlab.data.FashionMnist;
import org.normlab.data.Datasets;
import org.normlab.experiments.launch.JvmOptions;
import org.normlab.engine.DeterminismCheck;
import org.normlab.norm.NormProvider;
import org.normlab.norm.NormRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code doctor}: what this machine gives NormLab, for a bug report or before a GPU run: versions,
 * where PyTorch's natives came from, the GPUs DJL sees (and why none, when one was expected: DJL
 * falls back to the CPU without a word), threads, malloc, plugins, datasets.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = {"Prints NormLab's environment: NormLab, Java and JVM options, DJL and PyTorch versions and where "
                + "the natives came from, CUDA and the GPUs DJL sees (and why none when one was expected), threads, "
                + "malloc settings, plugins and their jars, and the dataset folders found. Paste it into bug reports."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:printed (with --determinism: every norm's two steps agree)",
                "1:--require-gpu and DJL sees no GPU, PyTorch's natives cannot be loaded, or with --determinism two "
                        + "identical training steps differ"})
final class DoctorCommand implements Callable<Integer> {

    @Mixin CommonOptions common;

    @Option(names = "--require-gpu", description = "exit 1 unless DJL sees a GPU (a check before a GPU run)")
    boolean requireGpu;

    @Option(names = "--determinism", description = "train one step of a small ResNet twice per norm at this machine's "
            + "thread count and compare every output, parameter and gradient bit for bit; exit 1 naming the norm and "
            + "the first tensor that differs")
    boolean determinism;

    @Option(names = "--norm", paramLabel = "NAME", split = ",", description = "with --determinism: only these norms "
            + "(default: every norm found, plugins included)")
    List<String> norms;

    @Override
    public Integer call() {
        if (norms != null && !determinism) {
            throw new UserError("--norm is for --determinism");
        }
        if (determinism) {
            return determinism();
        }
        Map<String, List<String>> report = new LinkedHashMap<>();
        report.put("NormLab", List.of(version().replaceFirst("^NormLab ", "") + " (" + jarOf(DoctorCommand.class) + ")"));
        report.put("Java", List.of(System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + "), "
                + System.getProperty("java.vm.name") + ", " + System.getProperty("java.home")));
        report.put("JVM options", List.of(jvmOptions()));
        report.put("Machine", List.of(machine()));
        report.put("DJL", List.of(Engine.getDjlVersion()));
        Engine engine;
        try {
            engine = Engine.getInstance();
        } catch (RuntimeException | LinkageError e) {
            report.put("PyTorch", List.of("cannot be loaded: " + e.getMessage()));
            print(report);
            return 1;
        }
        report.put("PyTorch", List.of(engine.getVersion() + ", flavor " + flavor() + ", MKL "
                + yesNo(engine.hasCapability(StandardCapabilities.MKL)) + ", OpenMP "
                + yesNo(engine.hasCapability(StandardCapabilities.OPENMP))));
        report.put("Natives", List.of(nativesOrigin()));
        report.put("CUDA", List.of(cuda()));
        int gpus = engine.getGpuCount();
        report.put("GPUs", List.of(gpus > 0 ? gpus + " seen by DJL (CUDA " + CudaUtils.getCudaVersionString() + ")"
                : "none seen by DJL: " + whyNoGpu()));
        report.put("Threads", List.of("PyTorch " + JniUtils.getNumThreads() + " intra-op, " + JniUtils.getNumInteropThreads()
                + " inter-op, of " + Runtime.getRuntime().availableProcessors() + " cores (--threads T sets T and 1)"));
        report.put("Determinism", List.of("not checked here: `doctor --determinism` trains one step twice per norm "
                + "and compares every tensor bit for bit (CPU flags: " + CpuFlags.vectorFlags() + ")"));
        report.put("malloc", List.of(malloc()));
        report.put("Plugins", plugins());
        report.put("Datasets", datasets());
        print(report);
        if (requireGpu && gpus == 0) {
            System.err.println("error: --require-gpu: DJL sees no GPU (see GPUs above)");
            return 1;
        }
        return 0;
    }

    /** Two identical training steps per norm, compared bit for bit; exit 1 at the first norm that differs. */
    private int determinism() {
        NormRegistry registry = common.registry();
        List<String> names = norms != null ? norms : registry.names();
        Engine.getInstance(); // loads the natives JniUtils calls
        System.out.printf(Locale.ROOT, "determinism: one training step of CIFAR ResNet-8 (3x16x16, batch 16), twice per "
                + "norm, %d thread(s), CPU flags %s%n", JniUtils.getNumThreads(), CpuFlags.vectorFlags());
        for (String name : names) {
            registry.factory(name.trim(), Map.of()); // an unknown name or a norm that needs options fails here, before training
            DeterminismCheck.Outcome outcome = DeterminismCheck.check(name.trim(), () -> registry.factory(name.trim(), Map.of()));
            if (!outcome.agrees()) {
                System.out.printf(Locale.ROOT, "%-12s DIFFERS: %s%n", outcome.norm(), outcome.firstDifference());
                System.err.println("error: norm " + outcome.norm() + ": two identical training steps differ: "
                        + outcome.firstDifference() + " (see docs/DETERMINISM.md)");
                return 1;
            }
            System.out.printf(Locale.ROOT, "%-12s %d tensors agree bit for bit%n", outcome.norm(), outcome.compared());
        }
        return 0;
    }

    /** One line for the start of a run: what a reader of its log needs to know first. */
    static String summary() {
        Engine engine = Engine.getInstance();
        int gpus = engine.getGpuCount();
        return version() + ", Java " + System.getProperty("java.version") + ", DJL " + Engine.getDjlVersion() + ", PyTorch "
                + engine.getVersion() + " " + flavor() + ", " + (gpus > 0 ? gpus + " GPU(s)" : "no GPU") + ", "
                + JniUtils.getNumThreads() + " thread(s) of " + Runtime.getRuntime().availableProcessors() + " cores"
                + " (details: doctor)";
    }

    static String version() {
        return Main.class.getAnnotation(Command.class).version()[0];
    }

    private static void print(Map<String, List<String>> report) {
        report.forEach((key, lines) -> {
            for (int i = 0; i < lines.size(); i++) {
                System.out.printf(Locale.ROOT, "%-13s%s%n", i == 0 ? key + ":" : "", lines.get(i));
            }
        });
    }

    private static String jvmOptions() {
        List<String> given = ManagementFactory.getRuntimeMXBean().getInputArguments();
        List<String> missing = JvmOptions.defaults().stream().filter(o -> !given.contains(o)).toList();
        String all = given.isEmpty() ? "none given" : String.join(" ", given);
        return all + (missing.isEmpty() ? " (has bin/normlab's)"
                : " (without bin/normlab's " + String.join(" ", missing) + ": resident memory grows; see " + JvmOptions.SOURCE + ")");
    }

    private static String machine() {
        long memory = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        return System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch")
                + ", " + Runtime.getRuntime().availableProcessors() + " cores, " + gib(memory) + " memory, JVM heap at most "
                + gib(Runtime.getRuntime().maxMemory());
    }

    /** cpu or cuNNN: PYTORCH_FLAVOR when set, else from the name of the folder DJL loaded libtorch from. */
    private static String flavor() {
        String env = System.getenv("PYTORCH_FLAVOR");
        if (env != null) {
            return env;
        }
        String dir = Path.of(LibUtils.getLibtorchPath()).getFileName().toString();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("-(cpu|cu\\d+)[-\\w]*-(linux|osx|win)").matcher(dir);
        return m.find() ? m.group(1) : "unknown";
    }

    private static String nativesOrigin() {
        String dir = LibUtils.getLibtorchPath();
        if (System.getenv("PYTORCH_LIBRARY_PATH") != null) {
            return dir + " (PYTORCH_LIBRARY_PATH)";
        }
        if (DoctorCommand.class.getClassLoader().getResource("native/lib/pytorch.properties") != null) {
            return "bundled in the jar, unpacked to " + dir;
        }
        return dir + " (downloaded by DJL into its cache)";
    }

    /** The NVIDIA driver's version line, and the CUDA runtime DJL finds. */
    private static String cuda() {
        String driver;
        try {
            driver = Files.readAllLines(Path.of("/proc/driver/nvidia/version")).get(0).strip();
        } catch (IOException | IndexOutOfBoundsException e) {
            driver = "no NVIDIA driver";
        }
        String runtime = CudaUtils.hasCuda() ? "CUDA runtime " + CudaUtils.getCudaVersionString() + " with "
                + CudaUtils.getGpuCount() + " GPU(s)" : "no CUDA runtime library found";
        return driver + "; " + runtime;
    }

    /** Why DJL sees no GPU, said plainly when the machine has one. */
    private static String whyNoGpu() {
        Path driver = Path.of("/proc/driver/nvidia/version");
        if (!Files.isReadable(driver) && !Files.exists(Path.of("/dev/nvidia0"))) {
            return "no NVIDIA driver on this machine (no " + driver + ", no /dev/nvidia0)";
        }
        String flavor = flavor();
        String visible = System.getenv("CUDA_VISIBLE_DEVICES");
        if (!flavor.startsWith("cu")) {
            return "this machine has an NVIDIA driver, but PyTorch's " + flavor + " natives were loaded (the default build "
                    + "bundles the CPU library): build with -Pcuda and give PYTORCH_LIBRARY_PATH with PYTORCH_FLAVOR=cu128, "
                    + "or -Dai.djl.offline=false; see docs/SCALE.md";
        }
        if (visible != null) {
            return "CUDA natives (" + flavor + ") loaded, but CUDA_VISIBLE_DEVICES=" + visible + " hides the GPUs";
        }
        return "CUDA natives (" + flavor + ") loaded and a driver present, yet no GPU: the driver may be older than CUDA "
                + flavor.substring(2) + " needs (nvidia-smi shows the driver's CUDA version)";
    }

    private static String malloc() {
        Map<String, String> env = new TreeMap<>(System.getenv());
        env.keySet().removeIf(k -> !(k.startsWith("MALLOC_") && k.endsWith("_")));
        String vars = env.isEmpty() ? "" : " " + env;
        return MallocTuning.apply(System.getenv()) + vars;
    }

    private List<String> plugins() {
        Path dir = common.plugins != null ? common.plugins : CommonOptions.DEFAULT_PLUGINS;
        List<String> lines = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            if (common.plugins != null) {
                throw new UserError("--plugins " + dir + ": no such folder");
            }
            lines.add("folder " + dir + ": none (no such folder)");
        } else {
            try (Stream<Path> files = Files.list(dir)) {
                List<Path> jars = files.filter(CommonOptions::isJarName).sorted().toList();
                lines.add("folder " + dir.toAbsolutePath().normalize() + ": " + jars.size() + " jar(s)");
            } catch (IOException e) {
                throw new UserError(dir + ": cannot list plugin jars: " + e.getMessage());
            }
        }
        Map<String, List<String>> byJar = new TreeMap<>();
        for (NormProvider p : common.registry().providers()) {
            byJar.computeIfAbsent(jarOf(p.getClass()), k -> new ArrayList<>()).add(p.name());
        }
        String self = jarOf(DoctorCommand.class);
        byJar.forEach((jar, names) -> lines.add("norms " + String.join(", ", names.stream().sorted().toList())
                + (jar.equals(self) ? " (built in)" : " from " + jar)));
        return lines;
    }

    private static List<String> datasets() {
        List<String> lines = new ArrayList<>();
        Path fashion = FashionMnist.DEFAULT_FOLDER;
        List<String> files = List.of(FashionMnist.TRAIN_IMAGES, FashionMnist.TRAIN_LABELS, FashionMnist.TEST_IMAGES,
                FashionMnist.TEST_LABELS);
        long found = files.stream().filter(f -> Files.isRegularFile(fashion.resolve(f))).count();
        lines.add(FashionMnist.NAME + ": " + fashion + (found == files.size() ? " (found)"
                : found == 0 ? " (not found; Debian's dataset-fashion-mnist puts it there)"
                : " (only " + found + " of its " + files.size() + " files)"));
        List<String> others = Datasets.NAMES.stream().filter(n -> !n.equals(FashionMnist.NAME)).toList();
        lines.add(String.join(", ", others) + ": no default folder (data.path in the sweep)");
        return lines;
    }

    /** The jar (or class folder) a class was loaded from. */
    private static String jarOf(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return "unknown";
        }
        try {
            return Path.of(source.getLocation().toURI()).toString();
        } catch (java.net.URISyntaxException | IllegalArgumentException e) {
            return source.getLocation().toString();
        }
    }

    private static String yesNo(boolean b) {
        return b ? "yes" : "no";
    }

    private static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.1f GiB", bytes / (1024.0 * 1024 * 1024));
    }
}

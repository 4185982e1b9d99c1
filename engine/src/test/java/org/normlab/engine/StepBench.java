package org.normlab.engine;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.normlab.models.Models;
import org.normlab.norm.NormFactory;
import org.normlab.norm.NormRegistry;

/**
 * A/B of whole training steps (TrainStep: forward, loss, backward, SGD with momentum 0.9, weight
 * decay 5e-4) in one process, rounds interleaved (order flipped every round), thread CPU time
 * (other processes on a shared machine do not inflate it; run with one intra-op thread).
 * Variants: a system property {@code ab} set to {@code false} (variant a) and {@code true} (b)
 * around each of its timings, for code paths that read it (none in shipped code: an experiment
 * adds one). {@code ab=threads:A:B} instead runs variant a on A intra-op threads and b on B (time it
 * with {@code clock=wall}: thread CPU time misses the other threads). Not a JUnit test; run by hand
 * (classpath: see BENCHMARKS.md):
 * <pre>
 *   java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -cp CP org.normlab.engine.StepBench \
 *       [ab=PROPERTY|threads:A:B] [norms=bn,iebn,gn,ln] [configs=r20:1x16x16:16,r20:3x32x32:128] [rounds=11] [steps=10]
 *       [clock=cpu|wall] [part=step|sgd|split|first|profile] [out=TRACE.json]
 * </pre>
 * Prints per norm and config the median ms per step of each variant and the median over rounds
 * of the per-round ratio a/b (above 1: b is faster), with its range. {@code part=sgd} times the
 * optimizer step alone; {@code part=profile} writes libtorch's profiler trace of {@code steps}
 * steps for bench/profile_ops.py (engine calls per step, against the PyTorch peer's).
 */
public final class StepBench {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** part=sgd: time the optimizer step alone (on the gradients the warm-up left, zeroed). */
    private static boolean sgdOnly;
    private static String property;
    /** part=split: also print the forward (with loss) / backward / optimizer shares of the steps. */
    private static boolean split;
    /** ab=threads:A:B: the intra-op thread counts of variants a and b (null: not a thread A/B). */
    private static int[] threads;

    private StepBench() {}

    public static void main(String[] args) {
        Map<String, String> opts = new LinkedHashMap<>();
        for (String a : args) {
            String[] kv = a.split("=", 2);
            opts.put(kv[0], kv[1]);
        }
        int rounds = Integer.parseInt(opts.getOrDefault("rounds", "11"));
        int steps = Integer.parseInt(opts.getOrDefault("steps", "10"));
        boolean cpu = opts.getOrDefault("clock", "cpu").equals("cpu");
        property = opts.getOrDefault("ab", "normlab.bench.unused");
        if (property.startsWith("threads:")) { // ab=threads:A:B: variant a on A intra-op threads, b on B
            String[] t = property.split(":");
            threads = new int[] {Integer.parseInt(t[1]), Integer.parseInt(t[2])};
        }
        sgdOnly = opts.getOrDefault("part", "step").equals("sgd");
        split = opts.getOrDefault("part", "step").equals("split");
        NormRegistry registry = NormRegistry.load();
        System.out.printf("engine %s threads %s rounds %d steps %d clock %s%n", Engine.getInstance().getVersion(),
                System.getProperty("ai.djl.pytorch.num_threads", "default"), rounds, steps, cpu ? "thread-cpu" : "wall");
        if (opts.getOrDefault("part", "step").equals("first")) {
            firstSteps(registry, opts);
            return;
        }
        if (opts.getOrDefault("part", "step").equals("profile")) {
            profile(registry, opts);
            return;
        }
        for (String config : opts.getOrDefault("configs", "r20:1x16x16:16,r20:3x32x32:128").split(",")) {
            for (String norm : opts.getOrDefault("norms", "bn,iebn,gn,ln").split(",")) {
                run(registry, norm, config, rounds, steps, cpu);
            }
        }
    }

    private static void run(NormRegistry registry, String norm, String config, int rounds, int steps, boolean cpu) {
        Config c = Config.parse(config);
        try (NDManager manager = NDManager.newBaseManager()) {
            List<Variant> variants = List.of(new Variant("a", false), new Variant("b", true));
            NDArray x = manager.randomNormal(c.shape());
            NDArray y = c.labels(manager);
            for (Variant v : variants) {
                v.build(registry, norm, c, manager);
                boolean saved = sgdOnly;
                sgdOnly = false; // the warm-up's backward makes the gradients part=sgd steps on
                v.time(x, y, Math.max(steps, 20), cpu);
                sgdOnly = saved;
            }
            double[][] ms = new double[2][rounds];
            for (int r = 0; r < rounds; r++) {
                for (int k = 0; k < 2; k++) {
                    int i = r % 2 == 0 ? k : 1 - k;
                    ms[i][r] = variants.get(i).time(x, y, steps, cpu);
                }
            }
            double[] ratio = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                ratio[r] = ms[0][r] / ms[1][r];
            }
            System.out.printf(Locale.ROOT,
                    "RESULT norm=%s config=%s %s a_ms=%.2f b_ms=%.2f a_over_b=%.3f min=%.3f max=%.3f%n",
                    norm, config, property, median(ms[0]), median(ms[1]), median(ratio),
                    Arrays.stream(ratio).min().orElse(0), Arrays.stream(ratio).max().orElse(0));
            if (split) {
                for (Variant v : variants) {
                    double total = v.parts[0] + v.parts[1] + v.parts[2];
                    System.out.printf(Locale.ROOT, "SPLIT norm=%s config=%s variant=%s forward=%.1f%% backward=%.1f%% sgd=%.1f%%%n",
                            norm, config, v.name, 100 * v.parts[0] / total, 100 * v.parts[1] / total, 100 * v.parts[2] / total);
                }
            }
            variants.forEach(Variant::close);
        }
    }

    /**
     * part=first: the first {@code steps} training steps (wall clock) of a fresh model, then of a
     * second fresh model of the same shape in the same process: the JVM's and the engine's
     * one-time costs are the first model's excess over the second's (what a once-per-process
     * warm-up would take off every later trial). One config, the norms in order.
     */
    private static void firstSteps(NormRegistry registry, Map<String, String> opts) {
        int steps = Integer.parseInt(opts.getOrDefault("steps", "40"));
        String config = opts.getOrDefault("configs", "r20:1x16x16:16").split(",")[0];
        for (String norm : opts.getOrDefault("norms", "bn").split(",")) {
            for (String which : new String[] {"first", "second"}) {
                Config c = Config.parse(config);
                long t0 = System.nanoTime();
                try (NDManager manager = NDManager.newBaseManager()) {
                    Variant v = new Variant(which, true);
                    v.build(registry, norm, c, manager);
                    NDArray x = manager.randomNormal(c.shape());
                    NDArray y = c.labels(manager);
                    double build = (System.nanoTime() - t0) / 1e6;
                    double[] ms = new double[steps];
                    for (int i = 0; i < steps; i++) {
                        ms[i] = v.time(x, y, 1, false);
                    }
                    double steady = median(Arrays.copyOfRange(ms, steps / 2, steps));
                    double excess = 0;
                    for (double m : ms) {
                        excess += m - steady;
                    }
                    System.out.printf(Locale.ROOT,
                            "FIRST norm=%s config=%s model=%s build_ms=%.0f step1_ms=%.1f steps2to10_ms=%.1f steady_ms=%.1f excess_ms=%.0f%n",
                            norm, config, which, build, ms[0], Arrays.stream(ms, 1, Math.min(10, steps)).sum(), steady, excess);
                    v.close();
                }
            }
        }
    }

    /**
     * part=profile: libtorch's own profiler over {@code steps} steps after 100 warm-up steps, one
     * config and norm; writes a Chrome trace to {@code out} (default profile-NORM.json) for
     * bench/profile_ops.py, which sums it per engine op as it does the PyTorch peer's.
     */
    private static void profile(NormRegistry registry, Map<String, String> opts) {
        int steps = Integer.parseInt(opts.getOrDefault("steps", "20"));
        String config = opts.getOrDefault("configs", "r20:1x16x16:16").split(",")[0];
        String norm = opts.getOrDefault("norms", "bn").split(",")[0];
        Config c = Config.parse(config);
        try (NDManager manager = NDManager.newBaseManager()) {
            Variant v = new Variant("profiled", true);
            v.build(registry, norm, c, manager);
            NDArray x = manager.randomNormal(c.shape());
            NDArray y = c.labels(manager);
            v.time(x, y, 100, false);
            ai.djl.pytorch.jni.JniUtils.startProfile(false, false, false);
            double ms = v.time(x, y, steps, false);
            ai.djl.pytorch.jni.JniUtils.stopProfile(opts.getOrDefault("out", "profile-" + norm + ".json"));
            System.out.printf(Locale.ROOT, "PROFILE norm=%s config=%s steps=%d ms_per_step=%.2f (profiled)%n", norm, config, steps, ms);
            v.close();
        }
    }

    /** A {@code configs=} entry, {@code model:CxHxW:batch} (r20 and r8 stand for resnet20 and resnet8). */
    private record Config(String model, Shape shape) {

        static Config parse(String config) {
            String[] parts = config.split(":");
            String model = parts[0].equals("r20") ? "resnet20" : parts[0].equals("r8") ? "resnet8" : parts[0];
            int[] chw = Arrays.stream(parts[1].split("x")).mapToInt(Integer::parseInt).toArray();
            return new Config(model, new Shape(Integer.parseInt(parts[2]), chw[0], chw[1], chw[2]));
        }

        /** Random labels for a batch, as the training step takes them. */
        NDArray labels(NDManager manager) {
            return manager.randomInteger(0, 10, new Shape(shape.get(0)), DataType.INT64).toType(DataType.FLOAT32, false);
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** One model with its TrainStep, timed with the property set to its flag. */
    private static final class Variant {
        final String name;
        final boolean flag;
        TrainStep step;
        NDManager manager;

        Variant(String name, boolean flag) {
            this.name = name;
            this.flag = flag;
        }

        void build(NormRegistry registry, String norm, Config config, NDManager parent) {
            NormFactory factory = registry.factory(norm, Map.of());
            block = Models.build(Models.parse(config.model(), 10, (int) config.shape().get(1)), factory, factory);
            manager = parent.newSubManager();
            block.initialize(manager, DataType.FLOAT32, config.shape());
            step = new TrainStep(block, manager, new CrossEntropy(0), 0.9, 5e-4, false);
        }

        double time(NDArray x, NDArray y, int steps, boolean cpu) {
            String before = System.getProperty(property);
            System.setProperty(property, Boolean.toString(flag));
            if (threads != null) {
                ai.djl.pytorch.jni.JniUtils.setNumThreads(threads[flag ? 1 : 0]);
            }
            long t0 = cpu ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
            for (int i = 0; i < steps; i++) {
                if (sgdOnly) {
                    step.sgd().step(0.01f);
                    continue;
                }
                try (NDManager scope = manager.newSubManager()) {
                    NDArray xs = x.duplicate();
                    NDArray ys = y.duplicate();
                    xs.attach(scope);
                    ys.attach(scope);
                    if (split) {
                        splitStep(xs, ys, cpu);
                    } else {
                        step.step(xs, ys, 0.01f);
                    }
                }
            }
            long t1 = cpu ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
            if (before == null) {
                System.clearProperty(property);
            } else {
                System.setProperty(property, before);
            }
            return (t1 - t0) / 1e6 / steps;
        }

        final double[] parts = new double[3];
        Block block;

        /** TrainStep's step, its forward, backward and optimizer timed apart (same calls). */
        void splitStep(NDArray x, NDArray y, boolean cpu) {
            long t0 = now(cpu);
            float loss;
            try (ai.djl.training.GradientCollector collector = manager.getEngine().newGradientCollector()) {
                NDArray logits = block.forward(new ai.djl.training.ParameterStore(manager, false),
                        new ai.djl.ndarray.NDList(x), true).singletonOrThrow();
                NDArray l = step.loss().loss(logits, y);
                l.getFloat(); // the forward has run
                long t1 = now(cpu);
                collector.backward(l);
                loss = l.getFloat();
                long t2 = now(cpu);
                parts[0] += (t1 - t0) / 1e6;
                parts[1] += (t2 - t1) / 1e6;
            }
            long t3 = now(cpu);
            if (Float.isFinite(loss)) {
                step.sgd().step(0.01f);
            }
            parts[2] += (now(cpu) - t3) / 1e6;
        }

        static long now(boolean cpu) {
            return cpu ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
        }

        void close() {
            step.close();
            manager.close();
        }
    }
}

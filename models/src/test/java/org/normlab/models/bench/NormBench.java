package org.normlab.models.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.normlab.models.ModelSpec;
import org.normlab.models.Models;
import org.normlab.norm.NormFactory;
import org.normlab.norm.NormRegistry;
import org.normlab.norm.Standardizable;
import org.normlab.norm.Standardizer;

/**
 * Throughput of each norm relative to the first (IEBN versus BN, and every shipped norm) on whole
 * ResNets, training step (forward, softmax cross-entropy, backward, plain SGD) and eval forward. Not a JUnit test (CI stays fast): run by hand, as
 * <pre>
 *   mvn -q -B -o -pl models -am test-compile
 *   MALLOC_MMAP_THRESHOLD_=4294967296 MALLOC_TRIM_THRESHOLD_=68719476736 MALLOC_TOP_PAD_=268435456 \
 *   java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -cp &lt;models test classpath&gt; \
 *       org.normlab.models.bench.NormBench [rounds=15] [iters=1] [configs=r20c3,r20c1,r18c3,r20c1b16,r8c1b16] \
 *       [norms=bn,iebn,iebn-generic] [modes=train,eval] [clock=cpu|wall]
 * </pre>
 * norms are any registry names: bn, iebn, gn, ln, in, brn, frn, evonorm_b0, evonorm_s0 (the
 * models test class path has every shipped norm module).
 * The machine is shared and noisy, so the norms run interleaved in one process (round by round,
 * the order flipped every round) and what counts is the median over rounds of the per-round
 * ratio of the first norm's time to each norm's (its throughput relative to the first).
 * {@code clock=cpu} times the calling thread's CPU, which other processes do not inflate; with
 * one intra-op thread all the work runs on that thread. Without the MALLOC settings glibc gives
 * freed activation memory back to the system and faults it in again at random steps, which
 * doubles those steps for any norm. A name ending in {@code -generic} runs that norm on its
 * unfused path.
 */
public final class NormBench {

    /** A network and input size to measure. */
    record Config(String key, String model, int channels, int hw, int batch) {}

    private static final Map<String, Config> CONFIGS = new LinkedHashMap<>();

    static {
        CONFIGS.put("r20c3", new Config("r20c3", "resnet20", 3, 32, 128));
        CONFIGS.put("r20c1", new Config("r20c1", "resnet20", 1, 28, 128));
        CONFIGS.put("r18c3", new Config("r18c3", "resnet18", 3, 32, 64));
        // small batches (issue 27): the batch-noise studies' scale
        CONFIGS.put("r20c1b16", new Config("r20c1b16", "resnet20", 1, 16, 16));
        CONFIGS.put("r8c1b16", new Config("r8c1b16", "resnet8", 1, 16, 16));
    }

    private static final int CLASSES = 10;
    /** Suffix of a norm name that forces the unfused path, e.g. {@code iebn-generic}. */
    private static final String GENERIC = "-generic";
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final float LR = 0.01f;

    private NormBench() {}

    public static void main(String[] args) {
        Map<String, String> opts = new LinkedHashMap<>();
        for (String a : args) {
            String[] kv = a.split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException(
                        "arguments are key=value (rounds, iters, configs, norms, modes, clock), got " + a);
            }
            opts.put(kv[0], kv[1]);
        }
        int rounds = Integer.parseInt(opts.getOrDefault("rounds", "15"));
        int iters = Integer.parseInt(opts.getOrDefault("iters", "1"));
        List<String> norms = List.of(opts.getOrDefault("norms", "bn,iebn").split(","));
        String modes = opts.getOrDefault("modes", "train,eval");
        boolean cpuClock = opts.getOrDefault("clock", "cpu").equals("cpu");
        NormRegistry registry = NormRegistry.load();
        System.out.printf("engine %s, threads %s, rounds %d x %d iters, clock %s%n",
                Engine.getInstance().getVersion(), System.getProperty("ai.djl.pytorch.num_threads", "default"),
                rounds, iters, cpuClock ? "thread cpu" : "wall");
        for (String key : opts.getOrDefault("configs", String.join(",", CONFIGS.keySet())).split(",")) {
            Config config = CONFIGS.get(key);
            if (config == null) {
                throw new IllegalArgumentException("unknown config " + key + "; known: " + CONFIGS.keySet());
            }
            for (String mode : modes.split(",")) {
                run(config, registry, norms, mode.equals("train"), rounds, iters, cpuClock);
            }
        }
    }

    private static void run(
            Config config, NormRegistry registry, List<String> norms, boolean train, int rounds, int iters,
            boolean cpuClock) {
        Engine.getInstance().setRandomSeed(0);
        try (NDManager manager = NDManager.newBaseManager()) {
            Shape shape = new Shape(config.batch(), config.channels(), config.hw(), config.hw());
            NDArray x = manager.randomNormal(shape);
            NDArray oneHot = manager.randomInteger(0, CLASSES, new Shape(config.batch()), DataType.INT32)
                    .oneHot(CLASSES);
            List<Net> nets = new ArrayList<>();
            for (String spec : norms) {
                nets.add(new Net(spec, config, registry, manager, shape));
            }
            for (Net net : nets) { // warm-up, untimed
                net.time(x, oneHot, train, 3, cpuClock);
            }
            double[][] ms = new double[nets.size()][rounds];
            for (int r = 0; r < rounds; r++) {
                for (int k = 0; k < nets.size(); k++) {
                    int i = r % 2 == 0 ? k : nets.size() - 1 - k;
                    ms[i][r] = nets.get(i).time(x, oneHot, train, iters, cpuClock);
                }
            }
            String mode = train ? "train" : "eval";
            for (int i = 0; i < nets.size(); i++) {
                double[] ratio = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    ratio[r] = ms[0][r] / ms[i][r];
                }
                System.out.printf(Locale.ROOT,
                        "RESULT config=%s mode=%s norm=%s median_ms=%.1f throughput_vs_%s=%.3f ratios=%s ms=%s%n",
                        config.key(), mode, norms.get(i), median(ms[i]), norms.get(0), median(ratio),
                        Arrays.toString(Arrays.stream(ratio).map(v -> Math.round(v * 1000) / 1000.0).toArray()),
                        Arrays.toString(Arrays.stream(ms[i]).map(v -> Math.round(v * 10) / 10.0).toArray()));
            }
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** One network with its norm, timed per step. */
    private static final class Net {
        final Block block;
        final ParameterStore store;
        final NDManager manager;
        final List<Parameter> trainable = new ArrayList<>();
        final String name;

        Net(String norm, Config config, NormRegistry registry, NDManager manager, Shape shape) {
            name = norm;
            boolean generic = norm.endsWith(GENERIC);
            String plugin = generic ? norm.substring(0, norm.length() - GENERIC.length()) : norm;
            NormFactory factory = registry.factory(plugin, Map.of());
            ModelSpec spec = Models.parse(config.model(), CLASSES, config.channels());
            block = Models.build(spec, factory, factory);
            block.initialize(manager, DataType.FLOAT32, shape);
            if (generic) {
                forceGenericPath(block);
            }
            store = new ParameterStore(manager, false);
            this.manager = manager;
            block.getParameters().forEach(p -> {
                if (p.getValue().requiresGradient()) {
                    trainable.add(p.getValue());
                }
            });
        }

        /** A step equal to the plain batch step in value but not the same object: the unfused path. */
        private static void forceGenericPath(Block b) {
            if (b instanceof Standardizable s) {
                s.setStandardizer((x, stats, training) -> Standardizer.BATCH.standardize(x, stats, training));
            }
            b.getChildren().values().forEach(Net::forceGenericPath);
        }

        /** Mean milliseconds per step over {@code iters} steps, thread CPU or wall clock. */
        double time(NDArray x, NDArray oneHot, boolean train, int iters, boolean cpuClock) {
            long t0 = cpuClock ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
            for (int it = 0; it < iters; it++) {
                try (NDManager scope = manager.newSubManager()) {
                    NDArray in = x.duplicate();
                    in.attach(scope);
                    if (train) {
                        trainStep(in, oneHot, scope);
                    } else {
                        NDArray logits = block.forward(store, new NDList(in), false).singletonOrThrow();
                        logits.sum().getFloat();
                    }
                }
            }
            long t1 = cpuClock ? THREADS.getCurrentThreadCpuTime() : System.nanoTime();
            return (t1 - t0) / 1e6 / iters;
        }

        private void trainStep(NDArray in, NDArray oneHot, NDManager scope) {
            float loss;
            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                NDArray logits = block.forward(store, new NDList(in), true).singletonOrThrow();
                // Not div(Number): DJL frees the number's buffer while autograd still holds it.
                NDArray perSample = scope.full(new Shape(), 1f / in.getShape().get(0), DataType.FLOAT32);
                NDArray l = logits.logSoftmax(1).mul(oneHot).sum().neg().mul(perSample);
                collector.backward(l);
                loss = l.getFloat();
            }
            if (!Float.isFinite(loss)) {
                throw new IllegalStateException(name + ": loss is " + loss);
            }
            for (Parameter p : trainable) {
                NDArray w = p.getArray();
                try (NDArray g = w.getGradient(); NDArray step = g.mul(LR)) {
                    w.subi(step);
                    g.muli(0f);
                }
            }
        }
    }
}

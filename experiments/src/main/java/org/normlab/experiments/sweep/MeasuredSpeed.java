package org.normlab.experiments.sweep;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.statistics.descriptive.Median;
import org.normlab.config.Trial;
import org.normlab.config.TrialConfig;
import org.normlab.engine.CrossEntropy;
import org.normlab.engine.TrainStep;
import org.normlab.engine.assembly.DataFactory;
import org.normlab.engine.assembly.TrialAssembly;

/**
 * This machine's speed, measured for {@code --dry-run}: for each distinct network of a sweep
 * (model, input shape, norm and attack plugins, batch sizes) a few training steps and eval
 * forwards on random inputs, timed in this process with its threads. The estimate then counts
 * a trial's steps and eval batches at these times instead of at a fixed images/s, so it follows
 * the machine it runs on: machines here differ by more than 2x (ResNet-20 at ~350 to ~830 img/s).
 */
public final class MeasuredSpeed {

    /** Seconds per training step (forward, loss, backward, SGD) and per eval batch of one network. */
    public record Times(String network, int batchSize, double trainStepSeconds, int valBatchSize, double evalBatchSeconds) {
        double trainImagesPerSecond() {
            return batchSize / trainStepSeconds;
        }
    }

    /**
     * Untimed steps per network, at least this many and for at least this long: the JIT compiles
     * each norm's and wrapper's own code only after some hundred calls (measured cold, a network
     * read up to 1.5x slow), and the first network also warms the engine and the allocator.
     */
    private static final int WARMUP_STEPS = 5;
    private static final double WARMUP_SECONDS = 0.7;
    private static final int FIRST_WARMUP_STEPS = 40;
    private static final double FIRST_WARMUP_SECONDS = 3;
    private static final int TIMED_STEPS = 20;
    private static final int TIMED_EVALS = 5;
    private static final Median MEDIAN = Median.withDefaults();

    private final TrialAssembly assembly;
    private final Map<String, Times> measured = new LinkedHashMap<>();

    public MeasuredSpeed(TrialAssembly assembly) {
        this.assembly = assembly;
    }

    /** The measured times of the trial's network, measuring it if it is new. */
    public Times times(Trial trial, DataFactory.Shape shape) {
        return measured.computeIfAbsent(key(trial.config(), shape), k -> time(trial, shape));
    }

    /** Every network measured so far, in the order first met. */
    public List<Times> all() {
        return List.copyOf(measured.values());
    }

    /**
     * What the cost depends on; attack option values (strengths) and seeds do not change it,
     * the attack plugin does (its wrapper adds work to every norm layer).
     */
    private static String key(TrialConfig c, DataFactory.Shape s) {
        TrialConfig.ModelConfig m = c.model();
        return String.join("|", m.name(), String.valueOf(m.depth()), String.valueOf(m.shortcut()), String.valueOf(m.block()),
                String.valueOf(m.cifarStem()), String.valueOf(m.shortcutNorm()), c.norm().name(), c.norm().options().toString(),
                c.attack().name(), s.channels() + "x" + s.height() + "x" + s.width(), String.valueOf(s.classes()),
                String.valueOf(c.data().batchSize()), String.valueOf(c.data().valBatchSize()));
    }

    private Times time(Trial trial, DataFactory.Shape s) {
        TrialConfig c = trial.config();
        Block model = assembly.model(c.model(), assembly.norms(c, trial.seed()), s.classes(), s.channels());
        int batch = c.data().batchSize();
        int valBatch = c.data().valBatchSize();
        Engine.getInstance().setRandomSeed(0);
        try (NDManager manager = NDManager.newBaseManager()) {
            model.initialize(manager, DataType.FLOAT32, new Shape(1, s.channels(), s.height(), s.width()));
            NDArray x = manager.randomNormal(new Shape(batch, s.channels(), s.height(), s.width()));
            // labels as the batch loader gives them (float), so the loss runs the same conversions
            NDArray y = manager.randomInteger(0, s.classes(), new Shape(batch), DataType.INT64).toType(DataType.FLOAT32, false);
            NDArray v = manager.randomNormal(new Shape(valBatch, s.channels(), s.height(), s.width()));
            TrainingTimes train = new TrainingTimes(model, manager, c);
            boolean first = measured.isEmpty();
            double step = train.secondsPerStep(x, y, first ? FIRST_WARMUP_STEPS : WARMUP_STEPS,
                    first ? FIRST_WARMUP_SECONDS : WARMUP_SECONDS);
            double eval = train.secondsPerEval(v);
            String network = String.format("%s-%d %s%s %dx%dx%d", c.model().name(), c.model().depth(), c.norm().name(),
                    c.attack().isNone() ? "" : "+" + c.attack().name(), s.channels(), s.height(), s.width());
            return new Times(network, batch, step, valBatch, eval);
        }
    }

    /**
     * The real training step of the trial's optimizer settings: the median of single timed steps
     * after a warm-up (the median, because a collection or a page fault inflates single steps).
     */
    private record TrainingTimes(Block model, NDManager manager, TrialConfig c) {
        double secondsPerStep(NDArray x, NDArray y, int warmup, double warmupSeconds) {
            TrialConfig.OptimizerConfig o = c.optimizer();
            try (TrainStep step = new TrainStep(model, manager, new CrossEntropy(0), o.momentum(), o.weightDecay(), o.nesterov())) {
                long warmupEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
                for (int i = 0; i < warmup || System.nanoTime() < warmupEnd; i++) {
                    timedStep(step, x, y);
                }
                double[] times = new double[TIMED_STEPS];
                for (int i = 0; i < TIMED_STEPS; i++) {
                    times[i] = timedStep(step, x, y);
                }
                return MEDIAN.evaluate(times);
            }
        }

        double secondsPerEval(NDArray v) {
            TrainStep eval = new TrainStep(model, manager, new CrossEntropy(0), 0, 0, false);
            double[] times = new double[1 + TIMED_EVALS];
            for (int i = 0; i < times.length; i++) {
                try (NDManager scope = manager.newSubManager()) {
                    NDArray vs = v.duplicate();
                    vs.attach(scope); // what the forward creates from it is freed with the scope
                    long t0 = System.nanoTime();
                    eval.predict(vs).argMax(1).toLongArray();
                    times[i] = (System.nanoTime() - t0) / 1e9;
                }
            }
            return MEDIAN.evaluate(Arrays.copyOfRange(times, 1, times.length));
        }

        private double timedStep(TrainStep step, NDArray x, NDArray y) {
            try (NDManager scope = manager.newSubManager()) {
                NDArray xs = x.duplicate();
                NDArray ys = y.duplicate();
                xs.attach(scope);
                ys.attach(scope);
                long t0 = System.nanoTime();
                step.step(xs, ys, 0.01f);
                return (System.nanoTime() - t0) / 1e9;
            }
        }
    }
}

package org.normlab.engine;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.normlab.norm.NormRegistry;

/**
 * A tiny trial (bn, flatten, linear on 2x3x3 images that differ by epoch and batch) trained by a
 * training loop while everything it does is written down: every step, batch and evaluation
 * callback, every checkpoint saved (position and a hash of its tensors), stops and the outcome.
 * A stop can be requested at any "tick" (a finished training step or a delivered validation
 * batch); the run is then resumed from the checkpoint the stop names, as TrialRunner does.
 */
final class LoopTrace {

    static final int N = 4;
    static final int C = 2;
    static final int HW = 3;
    static final int BATCHES = 3;
    static final int VAL_BATCHES = 2;
    private static final NormRegistry NORMS = NormRegistry.load();

    /** Builds and runs one loop; returns its outcome as a line. */
    interface Loop {
        String fit(Block model, NDManager manager, TrainingPlan plan, EpochListener listener, Function<Snapshot, String> checkpoints,
                Stop stop, StepListener steps, FinalEvaluation finalEvaluation, BatchSource train, BatchSource val, Snapshot resume);
    }

    static final Loop CURRENT = (model, manager, plan, listener, checkpoints, stop, steps, finalEvaluation, train, val, resume) -> {
        TrainingLoop.Outcome o = new TrainingLoop(model, manager, plan, listener, checkpoints::apply, stop, 7, steps, finalEvaluation)
                .fit(train, val, resume);
        return "outcome diverged=" + o.divergedEpoch() + " steps=" + o.steps() + " epochs=" + o.epochsCompleted() + " final=" + o.finalEvals()
                + " rows=" + o.history().size();
    };

    private final List<String> lines = new ArrayList<>();
    private final List<Snapshot> saved = new ArrayList<>();
    private int ticks;
    private int stopAt;
    private Stop stop;

    /** Trains {@code plan} to the end, requesting a stop at tick {@code stopAt} (0: never) and resuming after it. */
    static List<String> run(Loop loop, TrainingPlan plan, int stopAt) throws Exception {
        LoopTrace t = new LoopTrace();
        t.stopAt = stopAt;
        t.trace(loop, plan);
        return t.lines;
    }

    /** How many ticks an uninterrupted run of {@code plan} has. */
    static int ticks(Loop loop, TrainingPlan plan) throws Exception {
        LoopTrace t = new LoopTrace();
        t.trace(loop, plan);
        return t.ticks;
    }

    private void trace(Loop loop, TrainingPlan plan) throws Exception {
        Snapshot resume = null;
        for (int run = 0; run < 3; run++) {
            stop = new Stop();
            Block model = model();
            try (NDManager manager = NDManager.newBaseManager()) {
                Engine.getInstance().setRandomSeed(7);
                model.initialize(manager, DataType.FLOAT32, new Shape(1, C, HW, HW));
                try {
                    lines.add(loop.fit(model, manager, plan, listener(), this::save, stop, stepListener(),
                            accuracy -> Map.of("final_val_acc_batch", accuracy.applyAsDouble(val(true))), train(), val(false), resume));
                    lines.add("parameters " + parameters(model));
                    return;
                } catch (Stopped e) {
                    lines.add("stopped: " + e.getMessage() + " exit " + e.exitCode());
                    String id = e.getMessage().replaceAll(".*ckpt#(\\d+).*", "$1");
                    resume = saved.get(Integer.parseInt(id));
                    stopAt = 0;
                } catch (RuntimeException e) {
                    lines.add("failed: " + e);
                    return;
                }
            }
        }
        lines.add("still stopping after three runs");
    }

    private String save(Snapshot s) {
        saved.add(s);
        int hash = 0;
        for (Map.Entry<String, byte[]> p : s.parameters().entrySet()) {
            hash = 31 * hash + p.getKey().hashCode() + Arrays.hashCode(p.getValue());
        }
        for (byte[] m : s.momentum() == null ? List.<byte[]>of() : s.momentum()) {
            hash = 31 * hash + Arrays.hashCode(m);
        }
        lines.add("save ckpt#" + (saved.size() - 1) + " " + s.position() + " tensors " + hash + " streams " + s.randomStreams());
        return "ckpt#" + (saved.size() - 1);
    }

    private void tick() {
        ticks++;
        if (ticks == stopAt) {
            stop.request("SIGTERM", 143);
        }
    }

    private EpochListener listener() {
        return new EpochListener() {
            @Override
            public void onBatch(int epoch, int done, int total, double loss) {
                lines.add("batch epoch " + epoch + " done " + done + "/" + total + " loss " + loss);
                tick();
            }

            @Override
            public void onEpoch(EpochMetrics m, boolean best) {
                lines.add("row epoch " + m.epoch() + " step " + m.step() + " lr " + m.lr() + " train " + m.trainLoss() + " "
                        + m.trainAcc() + " val " + m.valLoss() + " " + m.valAcc() + " " + m.valAccByComponent() + " best " + best
                        + (m.trainImgPerSec() > 0 ? "" : " untimed"));
            }
        };
    }

    private StepListener stepListener() {
        return new StepListener() {
            @Override
            public void beforeStep(long step, int epoch, int batch, NDArray x) {
                lines.add("before step " + step + " epoch " + epoch + " batch " + batch + " x " + Arrays.hashCode(x.toFloatArray()));
            }

            @Override
            public void afterStep(long step, int epoch) {
                lines.add("after step " + step + " epoch " + epoch);
            }
        };
    }

    static Block model() {
        return new SequentialBlock().add(NORMS.factory("bn", Map.of()).create(C)).add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(3).build());
    }

    private static String parameters(Block model) {
        StringBuilder b = new StringBuilder();
        model.getParameters().forEach(p -> b.append(Arrays.toString(p.getValue().getArray().toFloatArray())));
        return b.toString();
    }

    private static float[] images(int epoch, int batch) {
        float[] x = new float[N * C * HW * HW];
        for (int i = 0; i < x.length; i++) {
            int c = (i / (HW * HW)) % C;
            x[i] = (float) (Math.sin(1.3 * i + 2.1 * c + 0.37 * epoch + 0.91 * batch) * (c == 0 ? 2 : 0.5) + (c == 0 ? 1.5 : -0.75));
        }
        return x;
    }

    private static float[] labels(int epoch, int batch) {
        float[] y = new float[N];
        for (int n = 0; n < N; n++) {
            y[n] = (n + batch + epoch) % 3;
        }
        return y;
    }

    private BatchSource train() {
        return source(BATCHES, false, false);
    }

    private BatchSource val(boolean finalEval) {
        return source(VAL_BATCHES, true, finalEval);
    }

    private BatchSource source(int batches, boolean val, boolean finalEval) {
        return new BatchSource() {
            @Override
            public int size() {
                return N * batches;
            }

            @Override
            public int batches() {
                return batches;
            }

            @Override
            public List<String> componentNames() {
                return val ? List.of("a", "b") : List.of();
            }

            @Override
            public void forEachBatch(NDManager manager, int epoch, Consumer consumer) {
                for (int b = 0; b < batches; b++) {
                    if (val) {
                        lines.add((finalEval ? "final " : "") + "val batch " + b + " of epoch " + epoch);
                        tick();
                    }
                    int e = val ? 100 : epoch;
                    try (NDManager m = manager.newSubManager()) {
                        consumer.accept(m.create(LoopTrace.images(e, b), new Shape(N, C, HW, HW)), m.create(labels(e, b)),
                                val ? new int[] {0, 1, 0, 1} : null);
                    }
                }
            }
        };
    }
}

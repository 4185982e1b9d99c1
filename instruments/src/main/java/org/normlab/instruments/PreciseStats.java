package org.normlab.instruments;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.normlab.norm.EngineConstants;
import org.normlab.norm.RunningStatistic;
import org.normlab.norm.RunningStats;
import org.normlab.norm.Standardizer;

/**
 * PreciseBN (Wu and Johnson 2021; fvcore's {@code update_bn_stats}): replaces every norm
 * layer's running statistics, which training leaves as an EMA over changing weights, with the
 * true average over a set of batches taken with the final, frozen weights. Per layer:
 * running_mean = mean over batches of the batch mean, running_var = mean over batches of the
 * unbiased batch variance (the quantity PyTorch's running_var tracks), every batch weighing
 * the same, as fvcore does. Only the statistics the layer's own step keeps ({@link
 * NormLayer#kept()}, e.g. the mean alone for mean-only BN) are recomputed, with exactly those
 * semantics; a layer whose step keeps none is left as it is, so its precise evaluation equals its
 * EMA one.
 *
 * <p>How: each batch goes through the model's training-mode forward pass, outside any gradient
 * collector (no gradient, no optimizer, weights untouched), while every layer's step is
 * decorated to record the statistics of what it normalizes. Momentum is never changed, so
 * nothing needs putting back there; the layers' steps are restored afterwards.
 *
 * <p>Noise wrappers: the statistics are taken with the attack active, the model exactly as it
 * trains. Precise then estimates the same thing the EMA estimates (the running statistics are
 * updated in training, under the attack, with the clean statistics of each layer's input), so
 * ema vs precise compares the estimators only. A ghost wrapper's layers are measured over the
 * whole batch handed in, not per virtual batch (the expectation of the unbiased variance is the
 * same at either size). The gaussian attack draws from its streams meanwhile: run this after
 * training. Other training-mode behaviour (dropout) is active too, as in fvcore.
 *
 * <p>Use: {@code try (PreciseStats p = PreciseStats.install(model, store, batches)) { evaluate }};
 * closing puts the trained (EMA) statistics back. {@link #ema()} and {@link #precise()} are
 * snapshots of both, for checkpoints.
 */
public final class PreciseStats implements AutoCloseable {

    private final RunningStatsSnapshot ema;
    private final RunningStatsSnapshot precise;
    private final int batches;

    private PreciseStats(RunningStatsSnapshot ema, RunningStatsSnapshot precise, int batches) {
        this.ema = ema;
        this.precise = precise;
        this.batches = batches;
    }

    /**
     * Computes the precise statistics over {@code batches} (model inputs, as for {@code
     * forward}) and installs them in every norm layer with running statistics.
     *
     * @throws IllegalArgumentException when there is no batch
     * @throws IllegalStateException when a layer did not route a training pass through its step
     *     (the trained statistics are put back before either is thrown)
     */
    public static PreciseStats install(Block model, ParameterStore store, Iterator<NDList> batches) {
        if (!batches.hasNext()) {
            throw new IllegalArgumentException("precise statistics need at least one batch, got none");
        }
        return install(model, store, batches::forEachRemaining);
    }

    /**
     * The same for batch sources that push their batches to a callback (a loader that owns each
     * batch only for the duration of the call): {@code feed} hands every batch to the sink it is
     * given, then returns. It is not called when the model has no running statistics.
     *
     * @throws IllegalArgumentException when the feed gives no batch
     */
    public static PreciseStats install(Block model, ParameterStore store, Consumer<Consumer<NDList>> feed) {
        List<NormLayer> layers = NormLayers.find(model);
        RunningStatsSnapshot ema = RunningStatsSnapshot.take(layers);
        try {
            int count = accumulate(model, store, layers, feed);
            return new PreciseStats(ema, RunningStatsSnapshot.take(layers), count);
        } catch (RuntimeException e) {
            ema.restore();
            ema.close();
            throw e;
        }
    }

    private static int accumulate(Block model, ParameterStore store, List<NormLayer> layers, Consumer<Consumer<NDList>> feed) {
        if (layers.isEmpty()) {
            return 0;
        }
        List<Recorder> recorders = new ArrayList<>();
        int[] count = {0};
        try (NDManager sums = NDManager.newBaseManager(layers.get(0).block().storedRunningStats().mean().getDevice());
                StepSwap swap = new StepSwap(layers, (layer, step) -> {
                    Set<RunningStatistic> kept = layer.kept();
                    if (kept.isEmpty()) {
                        return step;
                    }
                    Recorder r = new Recorder(layer, step, sums, kept);
                    recorders.add(r);
                    return r;
                })) {
            feed.accept(inputs -> {
                try (NDManager scope = inputs.head().getManager().newSubManager()) {
                    inputs.tempAttach(scope);
                    model.forward(store, inputs, true);
                }
                count[0]++;
                for (Recorder r : recorders) {
                    r.checkCalled(count[0]);
                }
            });
            if (count[0] == 0) {
                throw new IllegalArgumentException("precise statistics need at least one batch, got none");
            }
            recorders.forEach(Recorder::install);
        }
        return count[0];
    }

    /** The running statistics training left (what closing restores). */
    public RunningStatsSnapshot ema() {
        return ema;
    }

    /** The precise statistics this computed. */
    public RunningStatsSnapshot precise() {
        return precise;
    }

    /** How many batches they were averaged over. */
    public int batches() {
        return batches;
    }

    /**
     * The model's norm layers with running statistics, those whose step keeps none included (left
     * as they are); empty when the model has none (then no forward pass was run and {@link
     * #batches()} is 0).
     */
    public List<NormLayer> layers() {
        return ema.layers();
    }

    /** Puts the trained (EMA) running statistics back. */
    public void restoreEma() {
        ema.restore();
    }

    /** Puts the trained statistics back and frees both snapshots. */
    @Override
    public void close() {
        try {
            ema.restore();
        } finally {
            ema.close();
            precise.close();
        }
    }

    /**
     * A step that sums, in float64, the per-channel batch mean and unbiased variance of every
     * input it normalizes in training, then hands the input on unchanged to the layer's step.
     */
    private static final class Recorder implements Standardizer {

        private final NormLayer layer;
        private final Standardizer inner;
        private final Set<RunningStatistic> kept;
        private final NDArray sumMean;
        private final NDArray sumVar;
        private int calls;

        Recorder(NormLayer layer, Standardizer inner, NDManager sums, Set<RunningStatistic> kept) {
            this.layer = layer;
            this.inner = inner;
            this.kept = kept;
            this.sumMean = sums.zeros(new Shape(layer.channels()), DataType.FLOAT64);
            this.sumVar = sums.zeros(new Shape(layer.channels()), DataType.FLOAT64);
        }

        @Override
        public NDArray standardize(NDArray x, RunningStats stats, boolean training) {
            if (training) {
                BatchMoments m = BatchMoments.of(x);
                long n = RunningStats.countPerChannel(x);
                double unbias = n > 1 ? (double) n / (n - 1) : 1.0;
                sumMean.addi(m.mean().toType(DataType.FLOAT64, false));
                NDArray var = m.var().toType(DataType.FLOAT64, false);
                sumVar.addi(var.mul(EngineConstants.scalar(var, unbias)));
                calls++;
            }
            return inner.standardize(x, stats, training);
        }

        @Override
        public Standardizer decorated() {
            return inner;
        }

        void checkCalled(int batches) {
            if (calls < batches) {
                throw new IllegalStateException(String.format(
                        "norm layer %d (%s, %s) did not pass its input through its batch-normalized step in a "
                                + "training forward pass, so its statistics cannot be observed; an "
                                + "AbstractBatchNormBlock must call standardize() whenever its step is not the plain one",
                        layer.index(), layer.path(), layer.block().getClass().getName()));
            }
        }

        /** mean of the recorded values, in the layer's own type, into the running statistics its step keeps. */
        void install() {
            RunningStats stats = layer.block().storedRunningStats();
            DataType type = stats.mean().getDataType();
            try (NDArray mean = sumMean.div(calls).toType(type, false);
                    NDArray var = sumVar.div(calls).toType(type, false)) {
                if (kept.contains(RunningStatistic.MEAN)) {
                    RunningStatsSnapshot.copyInto(stats.mean(), mean);
                }
                if (kept.contains(RunningStatistic.VARIANCE)) {
                    RunningStatsSnapshot.copyInto(stats.var(), var);
                }
            }
        }
    }
}

package org.normlab.instruments;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.normlab.norm.EngineConstants;
import org.normlab.norm.LayerProbe;
import org.normlab.norm.RunningStatistic;
import org.normlab.norm.RunningStats;
import org.normlab.norm.Standardizer;
import org.normlab.norm.WatchedBatchStep;

/**
 * Per-layer batch-noise probes for {@code layers.csv}: how far one training batch's statistics
 * are from the running ones, per norm layer, and a plugin's own values ({@link LayerProbe}).
 *
 * <p>Arm it around the one training step to sample, and read the samples after:
 * <pre>{@code
 * try (LayerProbes probes = LayerProbes.arm(layers, ghostSize)) {
 *     trainStep.step(x, y, lr);
 *     rows = probes.samples();
 * }
 * }</pre>
 * Nothing is installed between sampled steps, so the log costs nothing when off and nothing on
 * the steps in between. On a sampled step each layer's step is watched: before the layer
 * normalizes, a few reductions over its (detached) input on the engine give per-channel
 * vectors, and two scalars per layer (plus a probe's values) come back to Java. The running
 * statistics compared against are those from before this step's update: the ones the layer
 * would use in eval at that moment. A value needs the running statistics it compares with to be
 * ones the layer's own step keeps ({@link NormLayer#kept()}): mean_dev the mean and the variance,
 * std_logratio the variance; otherwise it is NaN (an empty cell in layers.csv), never computed
 * from statistics the step does not update.
 *
 * <p>A sampled step trains exactly as an unsampled one: a layer on the plain batch step keeps
 * its fused path ({@link WatchedBatchStep}; bn, iebn and any layer that asks {@code
 * fusedPathAllowed}), and a replaced step (a noise wrapper) runs as it is, noise included. The probe's arrays live in a scratch manager closed as soon as the layer's
 * values are read, so the step holds no more memory than an unsampled one beyond one layer's
 * probe at a time.
 */
public final class LayerProbes implements AutoCloseable {

    private final List<Probe> probes = new ArrayList<>();
    private final StepSwap swap;

    private LayerProbes(List<NormLayer> layers, int normalizationBatch) {
        swap = new StepSwap(layers, (layer, step) -> {
            Probe p = new Probe(layer, layer.kept(), normalizationBatch);
            probes.add(p);
            return p.watching(step);
        });
    }

    /**
     * @param layers the layers to sample, from {@link NormLayers#find}
     * @param normalizationBatch the samples each layer normalizes together: a ghost wrapper's
     *     {@code size}, so that the noise of the batches actually used is measured (the batch is
     *     cut along axis 0 as the ghost wrapper cuts it, and the values averaged over the
     *     pieces); 0 for the whole batch
     */
    public static LayerProbes arm(List<NormLayer> layers, int normalizationBatch) {
        if (normalizationBatch < 0) {
            throw new IllegalArgumentException("normalizationBatch must be 0 (whole batch) or positive, got " + normalizationBatch);
        }
        return new LayerProbes(layers, normalizationBatch);
    }

    /**
     * One sample per layer, in layer order, from the first training-mode pass since arming.
     *
     * @throws IllegalStateException when a layer has seen no training batch yet
     */
    public List<LayerSample> samples() {
        List<LayerSample> samples = new ArrayList<>();
        for (Probe p : probes) {
            if (p.sample == null) {
                throw new IllegalStateException(String.format(
                        "norm layer %d (%s, %s) saw no training batch while the probes were armed: arm them around a "
                                + "training step, and make sure the layer calls standardize() when its step is not the plain one",
                        p.layer.index(), p.layer.path(), p.layer.block().getClass().getName()));
            }
            samples.add(p.sample);
        }
        return List.copyOf(samples);
    }

    /** Puts the layers' own steps back. */
    @Override
    public void close() {
        swap.close();
    }

    /** Measures the first training input it sees; the step itself runs as it would unwatched. */
    private static final class Probe {

        private final NormLayer layer;
        private final Set<RunningStatistic> kept;
        private final int normalizationBatch;
        private LayerSample sample;

        Probe(NormLayer layer, Set<RunningStatistic> kept, int normalizationBatch) {
            this.layer = layer;
            this.kept = kept;
            this.normalizationBatch = normalizationBatch;
        }

        /** The step to install in place of {@code inner}: inner, watched. */
        Standardizer watching(Standardizer inner) {
            if (inner == Standardizer.BATCH) {
                WatchedBatchStep watched = this::watch;
                return watched;
            }
            return new Standardizer() {
                @Override
                public NDArray standardize(NDArray x, RunningStats stats, boolean training) {
                    watch(x, stats, training);
                    return inner.standardize(x, stats, training);
                }

                @Override
                public Standardizer decorated() {
                    return inner;
                }
            };
        }

        void watch(NDArray x, RunningStats stats, boolean training) {
            if (training && sample == null) {
                sample = measure(x, stats);
            }
        }

        private LayerSample measure(NDArray input, RunningStats stats) {
            // Every array below (results of ops on x) belongs to scratch, freed on return, not at the step's end.
            try (NDManager scratch = input.getManager().newSubManager()) {
                NDArray x = input.stopGradient();
                x.attach(scratch);
                Map<String, Double> extra = layer.block() instanceof LayerProbe probe ? probe.probe(x) : Map.of();
                if (!kept.contains(RunningStatistic.VARIANCE)) {
                    // Both values divide by the running std, which this step does not keep.
                    return new LayerSample(layer, x.getShape().get(1), Double.NaN, Double.NaN, extra);
                }
                NDArray runMean = float64Copy(stats.mean(), x);
                NDArray runVar = float64Copy(stats.var(), x);
                NDArray eps = EngineConstants.scalar(runVar, stats.eps());
                NDArray runVarEps = runVar.add(eps);
                NDArray runStd = runVarEps.sqrt();
                NDList meanDevs = new NDList();
                NDList logRatios = new NDList();
                for (NDArray piece : pieces(x)) {
                    BatchMoments m = BatchMoments.of(piece);
                    NDArray mean = m.mean().toType(DataType.FLOAT64, false);
                    NDArray varEps = m.var().toType(DataType.FLOAT64, false).add(eps);
                    meanDevs.add(mean.sub(runMean).abs().div(runStd).mean());
                    // |log(sigma_B / sigma_run)| = |log(var_B + eps) - log(var_run + eps)| / 2
                    logRatios.add(varEps.log().sub(runVarEps.log()).abs().mean().mul(EngineConstants.scalar(eps, 0.5)));
                }
                double[] v = NDArrays.stack(new NDList(NDArrays.stack(meanDevs).mean(), NDArrays.stack(logRatios).mean()))
                        .toDoubleArray();
                double meanDev = kept.contains(RunningStatistic.MEAN) ? v[0] : Double.NaN;
                return new LayerSample(layer, x.getShape().get(1), meanDev, v[1], extra);
            }
        }

        /** A float64 copy of a running statistic, owned by x's manager. */
        private static NDArray float64Copy(NDArray running, NDArray x) {
            NDArray copy = running.duplicate();
            copy.attach(x.getManager());
            return copy.toType(DataType.FLOAT64, false);
        }

        /** x cut along axis 0 as the ghost wrapper cuts it, or x whole. */
        private NDList pieces(NDArray x) {
            long batch = x.getShape().get(0);
            if (normalizationBatch == 0 || batch <= normalizationBatch) {
                return new NDList(x);
            }
            long[] cuts = new long[(int) ((batch - 1) / normalizationBatch)];
            for (int i = 0; i < cuts.length; i++) {
                cuts[i] = (long) (i + 1) * normalizationBatch;
            }
            return x.split(cuts, 0);
        }
    }
}

package org.normlab.norm;

import ai.djl.ndarray.NDArray;
import java.util.Set;

/**
 * The plain batch step ({@link Standardizer#BATCH}) with someone watching its input: per-layer
 * instruments that only read (layers.csv's probes). A layer with a fused fast path keeps taking
 * it while such a step is installed, after showing it the input
 * ({@link AbstractBatchNormBlock#fusedPathAllowed}), so a watched training step computes exactly
 * what an unwatched one does, with the same kernels and memory.
 */
public interface WatchedBatchStep extends Standardizer {

    /**
     * Sees the input of the batch-normalized step before it runs; must change nothing (not x,
     * not the running statistics, not the random streams).
     *
     * @param x what the layer normalizes, channels on axis 1
     * @param stats the running statistics as they are before this batch updates them
     * @param training whether this is a training pass
     */
    void watch(NDArray x, RunningStats stats, boolean training);

    /** The generic path: watch, then the plain batch step. */
    @Override
    default NDArray standardize(NDArray x, RunningStats stats, boolean training) {
        watch(x, stats, training);
        return BATCH.standardize(x, stats, training);
    }

    @Override
    default Set<RunningStatistic> keeps() {
        return BATCH.keeps();
    }

    /** Watching changes nothing: the norm's own step is the plain one. */
    @Override
    default Standardizer undecorated() {
        return BATCH;
    }
}

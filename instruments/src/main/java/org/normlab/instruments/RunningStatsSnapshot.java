package org.normlab.instruments;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import org.normlab.norm.RunningStats;

/**
 * A copy of every layer's running mean and variance (for a layer without a running variance, its
 * mean alone), kept on the engine, that can be written
 * back into the layers' own arrays (in place, so the model, its parameter store and any
 * optimizer keep seeing the same arrays). Close it to free the copies.
 */
public final class RunningStatsSnapshot implements AutoCloseable {

    /** Every element: a basic-index copy into the array itself (an empty NDIndex is refused by the engine). */
    private static final NDIndex ALL = new NDIndex(":");

    private final List<NormLayer> layers;
    private final NDManager manager;
    private final List<NDArray> means = new ArrayList<>();
    private final List<NDArray> vars = new ArrayList<>();

    private RunningStatsSnapshot(List<NormLayer> layers, NDManager manager) {
        this.layers = List.copyOf(layers);
        this.manager = manager;
    }

    /** Copies the layers' current running statistics. */
    public static RunningStatsSnapshot take(List<NormLayer> layers) {
        NDManager manager = layers.isEmpty()
                ? NDManager.newBaseManager()
                : NDManager.newBaseManager(layers.get(0).block().storedRunningStats().mean().getDevice());
        RunningStatsSnapshot snapshot = new RunningStatsSnapshot(layers, manager);
        for (NormLayer layer : layers) {
            RunningStats stats = layer.block().storedRunningStats();
            snapshot.means.add(copy(stats.mean(), manager));
            snapshot.vars.add(stats.var() == null ? null : copy(stats.var(), manager));
        }
        return snapshot;
    }

    /** Writes the saved values back into the layers' running statistics. */
    public void restore() {
        for (int i = 0; i < layers.size(); i++) {
            RunningStats stats = layers.get(i).block().storedRunningStats();
            copyInto(stats.mean(), means.get(i));
            if (stats.var() != null) {
                copyInto(stats.var(), vars.get(i));
            }
        }
    }

    public List<NormLayer> layers() {
        return layers;
    }

    /** Layer i's saved running mean, for checkpoints and reports. */
    public float[] mean(int layer) {
        return means.get(layer).toType(DataType.FLOAT32, false).toFloatArray();
    }

    /** Layer i's saved running variance; null for a layer without one. */
    public float[] var(int layer) {
        NDArray var = vars.get(layer);
        return var == null ? null : var.toType(DataType.FLOAT32, false).toFloatArray();
    }

    /** Overwrites target's values with source's, in place: target stays the same array. */
    static void copyInto(NDArray target, NDArray source) {
        target.set(ALL, source);
    }

    private static NDArray copy(NDArray source, NDManager manager) {
        NDArray copy = source.duplicate();
        copy.attach(manager);
        return copy;
    }

    @Override
    public void close() {
        manager.close();
    }
}

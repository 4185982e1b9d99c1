package org.normlab.instruments;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;

/**
 * A copy of every parameter of a model that takes no gradient (running statistics, whichever
 * block holds them: bn's, EvoNorm-B0's running variance, InstanceNorm's with running statistics,
 * a plugin's), written back in place on {@link #restore}, bit for bit. Extra training-mode
 * passes update such buffers; restoring them makes the passes leave no trace.
 */
final class BufferSnapshot implements AutoCloseable {

    private static final NDIndex ALL = new NDIndex(":");

    private final NDManager manager;
    private final List<NDArray> targets = new ArrayList<>();
    private final List<NDArray> copies = new ArrayList<>();

    private BufferSnapshot(NDManager manager) {
        this.manager = manager;
    }

    static BufferSnapshot take(Block model) {
        BufferSnapshot s = new BufferSnapshot(NDManager.newBaseManager());
        for (Pair<String, Parameter> p : model.getParameters()) {
            Parameter parameter = p.getValue();
            if (parameter.requiresGradient() || !parameter.isInitialized()) {
                continue;
            }
            NDArray target = parameter.getArray();
            if (target.getShape().dimension() == 0) {
                throw new IllegalStateException("parameter " + p.getKey() + " is a 0-d buffer, which cannot be restored in place");
            }
            NDArray copy = target.duplicate();
            copy.attach(s.manager);
            s.targets.add(target);
            s.copies.add(copy);
        }
        return s;
    }

    /** Writes the saved values back into the same arrays. */
    void restore() {
        for (int i = 0; i < targets.size(); i++) {
            targets.get(i).set(ALL, copies.get(i));
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}

package org.normlab.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.normlab.instruments.RandomStreams;
import org.normlab.norm.ResumableRandom;

/**
 * What a {@link Snapshot} holds besides the loop's position: the model's parameters (running
 * statistics included), SGD's momentum and the model's random streams; captured, and put back
 * after checking that the snapshot fits this model.
 */
final class ModelState {

    private final Block model;
    private final NDManager manager;
    private final Sgd sgd;
    private final List<ResumableRandom> streams;

    ModelState(Block model, NDManager manager, Sgd sgd) {
        this.model = model;
        this.manager = manager;
        this.sgd = sgd;
        this.streams = RandomStreams.of(model);
    }

    /** Everything the rest of the trial depends on, as it is now, at {@code position}. */
    Snapshot capture(Snapshot.Position position) {
        Map<String, byte[]> parameters = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : model.getParameters()) {
            parameters.put(p.getKey(), p.getValue().getArray().encode());
        }
        List<Long> positions = streams.stream().map(ResumableRandom::position).toList();
        return new Snapshot(position, parameters, sgd.momentumBuffers(), positions);
    }

    /**
     * Puts the snapshot's parameters, momentum and stream positions back.
     *
     * @throws IllegalStateException when the snapshot was taken of another model
     */
    void restore(Snapshot s) {
        for (Pair<String, Parameter> p : model.getParameters()) {
            byte[] saved = s.parameters().get(p.getKey());
            NDArray target = p.getValue().getArray();
            if (saved == null) {
                throw new IllegalStateException("the checkpoint has no parameter " + p.getKey());
            }
            try (NDArray value = manager.decode(saved)) {
                if (!value.getShape().equals(target.getShape()) || value.getDataType() != target.getDataType()) {
                    throw new IllegalStateException("the checkpoint's " + p.getKey() + " is " + value.getShape()
                            + " " + value.getDataType() + ", the model's " + target.getShape() + " " + target.getDataType());
                }
                target.set(value.toByteBuffer());
            }
        }
        if (s.parameters().size() != model.getParameters().size()) {
            throw new IllegalStateException("the checkpoint has " + s.parameters().size() + " parameters, the model "
                    + model.getParameters().size());
        }
        sgd.restoreMomentum(s.momentum());
        if (s.randomStreams().size() != streams.size()) {
            throw new IllegalStateException("the checkpoint has " + s.randomStreams().size()
                    + " random streams, the model " + streams.size());
        }
        for (int i = 0; i < streams.size(); i++) {
            streams.get(i).seek(s.randomStreams().get(i));
        }
    }
}

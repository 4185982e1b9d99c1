package org.normlab.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Arrays;

/**
 * relu(body(x) + shortcut(x)), the shortcut being the identity when there is none. A block of its
 * own rather than DJL's ParallelBlock so that output shapes come from the body without allocating
 * arrays, and the two branches are checked to agree once, at initialization.
 */
final class ResidualUnit extends AbstractBlock {

    private static final byte VERSION = 1;

    private final Block body;
    private final Block shortcut;

    /**
     * @param body the residual branch
     * @param shortcut the shortcut branch, or null for the identity
     */
    ResidualUnit(Block body, Block shortcut) {
        super(VERSION);
        this.body = addChildBlock("body", body);
        this.shortcut = shortcut == null ? null : addChildBlock("shortcut", shortcut);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray residual = body.forward(store, inputs, training, params).singletonOrThrow();
        NDArray skip = shortcut == null
                ? inputs.singletonOrThrow()
                : shortcut.forward(store, inputs, training, params).singletonOrThrow();
        return new NDList(Activation.relu(residual.add(skip)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return body.getOutputShapes(inputShapes);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        body.initialize(manager, dataType, inputShapes);
        Shape[] skipShapes = inputShapes;
        if (shortcut != null) {
            shortcut.initialize(manager, dataType, inputShapes);
            skipShapes = shortcut.getOutputShapes(inputShapes);
        }
        Shape[] bodyShapes = body.getOutputShapes(inputShapes);
        if (!Arrays.equals(bodyShapes, skipShapes)) {
            throw new IllegalStateException(String.format(
                    "residual unit: body gives %s but shortcut gives %s for input %s",
                    Arrays.toString(bodyShapes), Arrays.toString(skipShapes), Arrays.toString(inputShapes)));
        }
    }
}

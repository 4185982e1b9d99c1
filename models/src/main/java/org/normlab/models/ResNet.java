package org.normlab.models;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import java.util.Arrays;

/**
 * A built network: a plain sequence that knows its spec, so that an input with the wrong number of
 * channels fails at initialization with a message instead of deep inside a convolution.
 */
final class ResNet extends SequentialBlock {

    private final ModelSpec spec;

    ResNet(ModelSpec spec) {
        this.spec = spec;
    }

    @Override
    protected void beforeInitialize(Shape... inputShapes) {
        Shape in = inputShapes.length == 1 ? inputShapes[0] : null;
        if (in == null || in.dimension() != 4 || in.get(1) != spec.inChannels()) {
            throw new IllegalArgumentException(String.format(
                    "%s expects one input of shape (N, %d, H, W), got %s",
                    spec.name(), spec.inChannels(), Arrays.toString(inputShapes)));
        }
        super.beforeInitialize(inputShapes);
    }
}

package org.normlab.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Option A shortcut: {@code pad(x[:, :, ::s, ::s])}, the added channels zero and split equally
 * before and after the input's (the extra one after when the difference is odd), as the CIFAR
 * reference code's {@code F.pad(x[:, :, ::2, ::2], (0, 0, 0, 0, p, p))}. No parameters.
 */
final class ZeroPadShortcut extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int inChannels;
    private final int stride;
    private final int padBefore;
    private final int padAfter;
    private final NDIndex subsample;

    ZeroPadShortcut(int inChannels, int outChannels, int stride) {
        super(VERSION);
        if (outChannels < inChannels || stride < 1) {
            throw new IllegalArgumentException(String.format(
                    "option A shortcut needs out channels >= in channels and stride >= 1; got %d -> %d, stride %d",
                    inChannels, outChannels, stride));
        }
        this.inChannels = inChannels;
        this.stride = stride;
        this.padBefore = (outChannels - inChannels) / 2;
        this.padAfter = outChannels - inChannels - padBefore;
        this.subsample = new NDIndex(":, :, ::" + stride + ", ::" + stride);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray kept = stride == 1 ? x : x.get(subsample);
        if (padBefore + padAfter == 0) {
            return new NDList(kept);
        }
        // Padding pairs run from the last axis backwards (W, H, C), as torch.nn.functional.pad.
        return new NDList(kept.pad(new Shape(0, 0, 0, 0, padBefore, padAfter), 0));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        if (in.dimension() != 4 || in.get(1) != inChannels) {
            throw new IllegalArgumentException(String.format(
                    "option A shortcut expects (N, %d, H, W), got %s", inChannels, in));
        }
        return new Shape[] {
            new Shape(in.get(0), inChannels + padBefore + padAfter, ceilDiv(in.get(2)), ceilDiv(in.get(3)))
        };
    }

    private long ceilDiv(long size) {
        return (size + stride - 1) / stride;
    }
}

package org.normlab.norm;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

/**
 * The plumbing of a norm layer whose parameters are per-channel vectors of shape (C) with
 * channels on axis 1 and output shape = input shape (GroupNorm, FRN, EvoNorm): parameter
 * creation, shapes, broadcasting and the saved metadata. A parameter that is not per channel
 * (DyT's scalar alpha) is made with {@link #fixedShapeParameter}. Subclasses write
 * {@code forwardInternal}; batch-statistics norms extend {@link AbstractBatchNormBlock}, which
 * adds the running statistics and the replaceable standardization step.
 */
public abstract class PerChannelBlock extends AbstractBlock {

    protected long channels;
    private final Set<Parameter> fixedShape = new HashSet<>();

    protected PerChannelBlock(byte version) {
        super(version);
    }

    /** A trainable per-channel parameter; {@code type} chooses DJL's initializer (GAMMA: ones, BETA: zeros). */
    protected Parameter perChannelParameter(String name, Parameter.Type type) {
        return addParameter(Parameter.builder().setName(name).setType(type).build());
    }

    /**
     * A trainable parameter whose shape does not depend on the channels: {@code new Shape(1)} for
     * a scalar (a PyTorch {@code nn.Parameter(torch.tensor(v))}, one value in a fixture), with its
     * own initializer, e.g. {@code new ConstantInitializer(alphaInit)}. Use it in the layer like
     * any array of that shape (a (1) array broadcasts over x).
     */
    protected Parameter fixedShapeParameter(String name, Shape shape, Initializer initializer) {
        Parameter p = addParameter(Parameter.builder()
                .setName(name)
                .setType(Parameter.Type.OTHER)
                .optShape(shape)
                .optInitializer(initializer)
                .build());
        fixedShape.add(p);
        return p;
    }

    /** A per-channel running statistic (no gradient), ones for RUNNING_VAR, zeros for RUNNING_MEAN. */
    protected Parameter runningParameter(String name, Parameter.Type type) {
        return addParameter(Parameter.builder().setName(name).setType(type).optRequiresGrad(false).build());
    }

    /** A per-channel parameter's value shaped (1, C, 1, ...) to broadcast over x, owned by x's manager. */
    protected NDArray perChannel(ParameterStore store, Parameter p, NDArray x, boolean training) {
        NDArray value = store.getValue(p, x.getDevice(), training).reshape(RunningStats.broadcastShape(x));
        // The view would otherwise belong to the parameter's manager and live as long as the model.
        value.attach(x.getManager());
        return value;
    }

    /** The axes after the channel axis (H, W, ...). */
    protected static int[] spatialAxes(NDArray x) {
        int[] axes = new int[x.getShape().dimension() - 2];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = i + 2;
        }
        return axes;
    }

    /**
     * The mean over {@code axes}, kept as size-1 axes. Over several axes, one sum over all of them
     * and then a scale on the small result: DJL's mean takes one axis per call, and two reductions
     * over x cost more than twice one (BENCHMARKS.md, "IEBN: eval on the fused path"). No axes: x.
     */
    protected static NDArray meanOver(NDArray x, int... axes) {
        if (axes.length == 0) {
            return x; // the engine's sum over no axes would sum over all of them
        }
        if (axes.length == 1) {
            return x.mean(axes, true);
        }
        long count = 1;
        for (int axis : axes) {
            count *= x.getShape().get(axis);
        }
        return x.sum(axes, true).mul(EngineConstants.scalar(x, 1.0 / count));
    }

    /** {@code y * gamma + beta}, per channel: the affine step after a normalization. */
    protected NDArray affine(ParameterStore store, NDArray y, Parameter gamma, Parameter beta, boolean training) {
        return y.mul(perChannel(store, gamma, y, training)).add(perChannel(store, beta, y, training));
    }

    /** Each sample's channels as {@code groups} rows of consecutive channels: shape (N, groups, C / groups * H * W). */
    protected static NDArray groupRows(NDArray x, int groups) {
        return x.reshape(x.getShape().get(0), groups, -1);
    }

    /**
     * The first two moments of x over {@code axes}, kept as size-1 axes: the mean, x minus it, and
     * the biased variance (the mean squared deviation), as torch's {@code var(unbiased=False)}.
     */
    protected record Moments(NDArray mean, NDArray centered, NDArray variance) {

        /** {@code sqrt(variance + eps)}. */
        public NDArray std(NDArray eps) {
            return variance.add(eps).sqrt();
        }
    }

    /** The {@link Moments} of x over {@code axes}. */
    protected static Moments moments(NDArray x, int... axes) {
        NDArray mean = meanOver(x, axes);
        NDArray centered = x.sub(mean);
        return new Moments(mean, centered, meanOver(centered.mul(centered), axes));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void beforeInitialize(Shape... inputShapes) {
        super.beforeInitialize(inputShapes);
        channels = inputShapes[0].get(1);
    }

    @Override
    public void prepare(Shape[] inputShapes) {
        for (Parameter p : parameters.values()) {
            if (!fixedShape.contains(p)) {
                p.setShape(new Shape(channels));
            }
        }
    }

    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        saveInputShapes(os);
        os.writeLong(channels);
    }

    @Override
    public void loadMetadata(byte loadVersion, DataInputStream is) throws IOException, MalformedModelException {
        if (loadVersion != version) {
            throw new MalformedModelException("Unsupported encoding version: " + loadVersion);
        }
        readInputShapes(is);
        channels = is.readLong();
    }
}

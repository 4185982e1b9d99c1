package org.normlab.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The trainable parameters and their gradients as views of one contiguous buffer each, so that
 * {@link Sgd} updates all of them with a handful of engine calls (the per-call cost, not the
 * arithmetic, is what an optimizer step costs on small models). The rebinding is PyTorch's
 * {@code set_}, which DJL does not expose: a TorchScript helper does it (resource
 * {@code flat-sgd.pt}, written by {@code bench/make_flat_sgd.py}). Values are copied, not changed.
 *
 * <p>Valid while the parameters' arrays are the ones bound: {@link #isBoundTo} compares them
 * (in Java). Whoever replaces a parameter's storage in place (a checkpoint restore) must drop the
 * binding; {@link Sgd#restoreMomentum} does.
 */
final class FlatParameters implements AutoCloseable {

    /** System property: {@code false} keeps the per-parameter step (for A/B measurements). */
    static final String PROPERTY = "normlab.sgd.flat";
    private static final String RESOURCE = "flat-sgd.pt";

    private final PtSymbolBlock module;
    private final List<NDArray> arrays;
    private final NDArray weights;
    private final NDArray gradients;
    private final long[] sizes;

    private FlatParameters(PtSymbolBlock module, List<NDArray> arrays, NDArray weights, NDArray gradients) {
        this.module = module;
        this.arrays = arrays;
        this.weights = weights;
        this.gradients = gradients;
        sizes = arrays.stream().mapToLong(a -> a.getShape().size()).toArray();
    }

    /**
     * Binds the parameters, or says null when they cannot be: off the PyTorch engine, mixed
     * devices or types, a parameter without a gradient yet, or the property set to false.
     */
    static FlatParameters bind(List<Parameter> parameters) {
        if (parameters.isEmpty() || !Boolean.parseBoolean(System.getProperty(PROPERTY, "true"))) {
            return null;
        }
        List<NDArray> arrays = new ArrayList<>();
        parameters.forEach(p -> arrays.add(p.getArray()));
        NDArray first = arrays.get(0);
        List<NDArray> gradients = new ArrayList<>();
        try {
            for (NDArray a : arrays) {
                if (!(a instanceof PtNDArray pt) || !a.getDevice().equals(first.getDevice())
                        || a.getDataType() != first.getDataType()) {
                    return null;
                }
                PtNDArray g = JniUtils.getGradient(pt);
                if (g == null) {
                    return null;
                }
                gradients.add(g);
            }
            List<NDArray> values = new ArrayList<>();
            arrays.forEach(a -> values.add(a.stopGradient()));
            NDArray weights = concat(values);
            values.forEach(NDArray::close);
            NDArray grads = concat(gradients);
            PtNDManager manager = (PtNDManager) first.getManager();
            PtSymbolBlock module = load(manager);
            try (IValue list = IValue.listFrom(arrays.toArray(new PtNDArray[0]));
                    IValue w = IValue.from((PtNDArray) weights);
                    IValue g = IValue.from((PtNDArray) grads);
                    IValue out = IValueUtils.runMethod(module, "bind", list, w, g)) {
                if (out.toLong() != weights.getShape().size()) {
                    throw new IllegalStateException("flat-sgd.pt bound " + out.toLong() + " of " + weights.getShape().size() + " values");
                }
            }
            return new FlatParameters(module, arrays, weights, grads);
        } finally {
            gradients.forEach(NDArray::close); // handles only: the gradients stay with their parameters
        }
    }

    private static PtSymbolBlock load(PtNDManager manager) {
        try (InputStream in = FlatParameters.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing from the engine jar");
            }
            return JniUtils.loadModule(manager, in, true, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether {@code parameters} hold the arrays that were bound (same objects, same order). */
    boolean isBoundTo(List<Parameter> parameters) {
        if (parameters.size() != arrays.size()) {
            return false;
        }
        for (int i = 0; i < arrays.size(); i++) {
            if (parameters.get(i).getArray() != arrays.get(i)) {
                return false;
            }
        }
        return true;
    }

    NDArray weights() {
        return weights;
    }

    NDArray gradients() {
        return gradients;
    }

    /** Sets the gradients to 0 in place, NaN included. */
    void zeroGradients() {
        try (IValue g = IValue.from((PtNDArray) gradients);
                IValue out = IValueUtils.runMethod(module, "zero", g)) {
            // nothing to read
        }
    }

    /** Per-parameter views of a flat array (e.g. the momentum buffer), in parameter order and shape. */
    List<NDArray> split(NDArray flat) {
        long[] ends = new long[sizes.length - 1];
        long end = 0;
        for (int i = 0; i < ends.length; i++) {
            end += sizes[i];
            ends[i] = end;
        }
        NDList parts = flat.split(ends);
        List<NDArray> views = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            NDArray part = parts.get(i);
            views.add(part.reshape(arrays.get(i).getShape()));
            if (part != flat) {
                part.close();
            }
        }
        return views;
    }

    /** One flat array of per-parameter arrays (e.g. momentum buffers restored from a checkpoint). */
    static NDArray concat(List<NDArray> perParameter) {
        NDList rows = new NDList();
        perParameter.forEach(a -> rows.add(a.reshape(-1)));
        NDArray flat = NDArrays.concat(rows, 0);
        rows.forEach(NDArray::close);
        return flat;
    }

    /** Whether every parameter and gradient still views the flat buffers (checked in the engine; for tests). */
    boolean bound() {
        try (IValue list = IValue.listFrom(arrays.toArray(new PtNDArray[0]));
                IValue w = IValue.from((PtNDArray) weights);
                IValue g = IValue.from((PtNDArray) gradients);
                IValue out = IValueUtils.runMethod(module, "bound", list, w, g)) {
            return out.toBoolean();
        }
    }

    /** Frees the helper and this object's handles; the parameters keep the flat storage alive. */
    @Override
    public void close() {
        weights.close();
        gradients.close();
        module.close();
    }
}

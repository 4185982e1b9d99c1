package org.normlab.engine;

import ai.djl.ndarray.NDArray;
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
 * {@link Sgd}'s step over all parameters as ONE engine call: a TorchScript method
 * (resource {@code fused-sgd.pt}, written by {@code bench/make_fused_sgd.py}) that runs the same
 * element-wise ops in the same order with the engine's multi-tensor ({@code _foreach}) kernels,
 * so the numbers are bit for bit those of the per-parameter path, without its ~9 JNI calls (each
 * with its Java wrapper) per parameter. PyTorch engine only; {@link #load} says null elsewhere.
 */
final class FusedSgd implements AutoCloseable {

    /** System property: {@code false} keeps the per-parameter path (for A/B measurements). */
    static final String PROPERTY = "normlab.sgd.fused";
    private static final String RESOURCE = "fused-sgd.pt";

    private final PtSymbolBlock module;
    private final PtNDManager manager;
    private final IValue momentum;
    private final IValue weightDecay;
    private final IValue nesterov;
    /** The parameter arrays whose gradients were last seen defined (the script needs them all). */
    private List<NDArray> checked = List.of();

    private FusedSgd(PtSymbolBlock module, PtNDManager manager, float momentum, float weightDecay, boolean nesterov) {
        this.module = module;
        this.manager = manager;
        this.momentum = IValue.from((double) momentum);
        this.weightDecay = IValue.from((double) weightDecay);
        this.nesterov = IValue.from(nesterov);
    }

    /** The fused step for parameters living like {@code like}, or null off the PyTorch engine or when disabled. */
    static FusedSgd load(NDArray like, float momentum, float weightDecay, boolean nesterov) {
        if (!(like instanceof PtNDArray) || !Boolean.parseBoolean(System.getProperty(PROPERTY, "true"))) {
            return null;
        }
        PtNDManager manager = (PtNDManager) like.getManager();
        try (InputStream in = FusedSgd.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + RESOURCE + " is missing from the engine jar");
            }
            PtSymbolBlock module = JniUtils.loadModule(manager, in, true, false);
            return new FusedSgd(module, manager, momentum, weightDecay, nesterov);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Whether every parameter is a PyTorch array with a gradient (PyTorch has none before a
     * parameter's first backward; the per-parameter path reads that as zeros). Checked in the
     * engine only when the parameter arrays are not the ones last checked: a defined gradient
     * stays defined, since steps zero it in place.
     */
    boolean ready(List<NDArray> params) {
        if (sameArrays(params, checked)) {
            return true;
        }
        for (NDArray w : params) {
            if (!(w instanceof PtNDArray pt)) {
                return false;
            }
            PtNDArray g = JniUtils.getGradient(pt);
            if (g == null) {
                return false;
            }
            g.close();
        }
        checked = new ArrayList<>(params);
        return true;
    }

    /**
     * One step over {@code params} (gradients zeroed after). {@code buffers} are the momentum
     * buffers, or empty on the first step with momentum; returns the new buffers for a first
     * step (attached to the parameters' manager), else {@code buffers} itself.
     */
    List<NDArray> step(List<NDArray> params, List<NDArray> buffers, float lr) {
        PtNDArray[] ws = params.toArray(new PtNDArray[0]);
        PtNDArray[] bs = buffers.toArray(new PtNDArray[0]);
        try (IValue w = IValue.listFrom(ws);
                IValue b = IValue.listFrom(bs);
                IValue rate = IValue.from((double) lr);
                IValue out = IValueUtils.runMethod(module, "step", w, b, rate, momentum, weightDecay, nesterov)) {
            if (!buffers.isEmpty()) {
                return buffers; // updated in place; the returned list holds the same tensors
            }
            PtNDArray[] made = out.toTensorArray(manager);
            return List.<NDArray>of(made);
        }
    }

    private static boolean sameArrays(List<NDArray> a, List<NDArray> b) {
        if (a.size() != b.size() || a.isEmpty()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i) != b.get(i)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        momentum.close();
        weightDecay.close();
        nesterov.close();
        module.close();
    }
}

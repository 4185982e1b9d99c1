package org.normlab.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.ArrayList;
import java.util.List;
import org.normlab.norm.EngineConstants;

/**
 * SGD with momentum, weight decay and Nesterov, with PyTorch's update rule (torch.optim.SGD,
 * dampening 0), so that recipes carry over exactly:
 * <pre>
 *   g = grad + wd * w;  buf = momentum * buf + g  (buf = g on the first step)
 *   step = nesterov ? g + momentum * buf : buf;   w -= lr * step
 * </pre>
 * DJL's own SGD folds the learning rate into the momentum buffer, which differs whenever the
 * learning rate changes. Weight decay applies to every trainable parameter (as the IEBN
 * authors' recipe). Gradients are zeroed (set to 0, so a NaN does not survive) after the step.
 * On the PyTorch engine, once every parameter has a gradient, the parameters, gradients and
 * momentum buffers live in one contiguous buffer each ({@link FlatParameters}) and the step is
 * the same element-wise ops on those: the same numbers bit for bit, in ~8 engine calls instead
 * of ~9 per parameter. Numbers enter as engine arrays (see {@link EngineConstants}), never through DJL's NDArray-Number overloads.
 */
public final class Sgd {

    private final List<Parameter> parameters = new ArrayList<>();
    private final List<NDArray> buffers = new ArrayList<>();
    private final float momentum;
    private final float weightDecay;
    private final boolean nesterov;
    /** The flat binding, null until the first step that can make one (or when it was dropped). */
    private FlatParameters flat;
    /** The flat momentum buffer (buffers then holds views of it), or null. */
    private NDArray flatMomentum;
    /** Flat steps since the binding was last verified in the engine. */
    private int unverifiedSteps;
    /** How often the engine verifies that nothing replaced a parameter's storage behind the binding. */
    static final int VERIFY_EVERY = 50;

    public Sgd(List<Parameter> trainable, double momentum, double weightDecay, boolean nesterov) {
        this.parameters.addAll(trainable);
        this.momentum = (float) momentum;
        this.weightDecay = (float) weightDecay;
        this.nesterov = nesterov;
        parameters.forEach(p -> buffers.add(null));
    }

    /** Applies one step with learning rate {@code lr} and zeroes the gradients. */
    public void step(float lr) {
        if (flat != null && !flat.isBoundTo(parameters)) {
            dropFlat();
        }
        if (flat == null) {
            flat = FlatParameters.bind(parameters);
            unverifiedSteps = 0;
        }
        if (flat != null) {
            verifyBinding();
            flatStep(lr);
        } else {
            perParameterStep(lr);
        }
    }

    /** The step on the flat buffers: the per-parameter ops, once. */
    private void flatStep(float lr) {
        NDArray w = flat.weights();
        if (momentum != 0f && flatMomentum == null && buffers.stream().allMatch(b -> b != null)) {
            adoptMomentum(FlatParameters.concat(buffers)); // restored from a checkpoint
        }
        try (NDArray lrArray = w.getManager().full(new Shape(), lr, w.getDataType())) {
            NDArray made = update(w, flat.gradients(), flatMomentum, lrArray);
            if (made != null) {
                adoptMomentum(made);
            }
        }
        flat.zeroGradients();
    }

    /**
     * Fails loudly when a parameter or gradient no longer views the flat buffers (its storage was
     * replaced in place, as a checkpoint restore does, without {@link #restoreMomentum}): the steps
     * since would have been lost on it. Checked every {@link #VERIFY_EVERY} steps (~600 engine ops).
     */
    private void verifyBinding() {
        if (++unverifiedSteps < VERIFY_EVERY) {
            return;
        }
        unverifiedSteps = 0;
        if (!flat.bound()) {
            throw new IllegalStateException("a trainable parameter's storage was replaced behind the optimizer's flat "
                    + "buffers: after restoring parameters in place, call Sgd.restoreMomentum (ModelState.restore does)");
        }
    }

    /** Makes {@code buffer} the flat momentum buffer and buffers its per-parameter views. */
    private void adoptMomentum(NDArray buffer) {
        buffer.attach(flat.weights().getManager());
        List<NDArray> views = flat.split(buffer);
        for (int i = 0; i < views.size(); i++) {
            NDArray old = buffers.get(i);
            if (old != null) {
                old.close();
            }
            NDArray view = views.get(i);
            view.attach(parameters.get(i).getArray().getManager());
            buffers.set(i, view);
        }
        flatMomentum = buffer;
    }

    /** Forgets the flat binding (the per-parameter momentum views stay valid: they keep its memory). */
    private void dropFlat() {
        if (flat != null) {
            flat.close();
            flat = null;
        }
        if (flatMomentum != null) {
            flatMomentum.close();
            flatMomentum = null;
        }
    }

    /** The flat binding, for tests; null when the step runs per parameter. */
    FlatParameters flatParameters() {
        return flat;
    }

    private void perParameterStep(float lr) {
        NDArray lrArray = null;
        try {
            for (int i = 0; i < parameters.size(); i++) {
                NDArray w = parameters.get(i).getArray();
                if (lrArray == null || !lrArray.getDevice().equals(w.getDevice())
                        || lrArray.getDataType() != w.getDataType()) {
                    if (lrArray != null) {
                        lrArray.close();
                    }
                    // full() fills in the engine; the rate changes every step, so it is not cached
                    lrArray = w.getManager().full(new Shape(), lr, w.getDataType());
                }
                // getGradient wraps the gradient in a new handle on every call; closing it frees
                // the wrapper only (the gradient stays with w). Left open, one handle per
                // parameter per step piles up in w's manager until the model closes.
                try (NDArray g = w.getGradient()) {
                    NDArray made = update(w, g, buffers.get(i), lrArray);
                    if (made != null) {
                        made.attach(w.getManager());
                        buffers.set(i, made);
                    }
                    if (w instanceof PtNDArray pt) {
                        JniUtils.zeroGrad(pt);
                    } else {
                        zero(g);
                    }
                }
            }
        } finally {
            if (lrArray != null) {
                lrArray.close();
            }
        }
    }

    /** Sets every gradient to zero without a step (after a step whose loss was not finite). */
    public void zeroGradients() {
        if (flat != null && flat.isBoundTo(parameters)) {
            flat.zeroGradients();
            return;
        }
        for (Parameter p : parameters) {
            NDArray w = p.getArray();
            if (w instanceof PtNDArray pt) {
                JniUtils.zeroGrad(pt); // no gradient yet: nothing to do
            } else {
                try (NDArray g = w.getGradient()) {
                    zero(g);
                }
            }
        }
    }

    /** Sets g to 0, NaN included (a multiply by 0 would keep NaN); off PyTorch only (it makes a Java buffer). */
    private static void zero(NDArray g) {
        g.set(new NDIndex(), 0);
    }

    /**
     * w -= lr * step for one parameter or the flat buffers, g's content consumed (weight decay
     * and Nesterov's look-ahead are added into it); returns the momentum buffer it made when
     * {@code buf} is null (the first step with momentum), else null.
     */
    private NDArray update(NDArray w, NDArray g, NDArray buf, NDArray lr) {
        if (weightDecay != 0f) {
            try (NDArray decay = w.mul(EngineConstants.scalar(w, weightDecay))) {
                g.addi(decay);
            }
        }
        NDArray direction = g;
        NDArray made = null;
        if (momentum != 0f) {
            if (buf == null) {
                buf = g.duplicate();
                made = buf;
            } else {
                buf.muli(EngineConstants.scalar(buf, momentum)).addi(g);
            }
            if (nesterov) {
                try (NDArray ahead = buf.mul(EngineConstants.scalar(buf, momentum))) {
                    g.addi(ahead);
                }
            } else {
                direction = buf;
            }
        }
        try (NDArray update = direction.mul(lr)) {
            w.subi(update);
        }
        return made;
    }

    /** The momentum buffers, DJL-encoded, in parameter order; null where no step has made one yet. */
    public List<byte[]> momentumBuffers() {
        List<byte[]> encoded = new ArrayList<>();
        buffers.forEach(b -> encoded.add(b == null ? null : b.encode()));
        return encoded;
    }

    /** Replaces the momentum buffers with {@code encoded}, as {@link #momentumBuffers()} gave them. */
    public void restoreMomentum(List<byte[]> encoded) {
        if (encoded.size() != parameters.size()) {
            throw new IllegalStateException("the checkpoint has " + encoded.size() + " momentum buffers, the model "
                    + parameters.size() + " trainable parameters");
        }
        close(); // also drops the flat binding: the restore has just replaced the parameters' storage
        for (int i = 0; i < parameters.size(); i++) {
            NDArray w = parameters.get(i).getArray();
            NDArray buf = encoded.get(i) == null ? null : w.getManager().decode(encoded.get(i));
            if (buf != null && !buf.getShape().equals(w.getShape())) {
                throw new IllegalStateException("momentum buffer " + i + " is " + buf.getShape() + ", its parameter "
                        + w.getShape());
            }
            buffers.add(buf);
        }
    }

    /** Frees the momentum buffers and the flat binding (the parameters keep their values). */
    public void close() {
        buffers.stream().filter(b -> b != null).forEach(NDArray::close);
        buffers.clear();
        dropFlat();
    }
}

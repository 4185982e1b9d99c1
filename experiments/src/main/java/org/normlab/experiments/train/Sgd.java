package org.normlab.experiments.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
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
 * Weight decay applies to every trainable parameter (as the IEBN authors' recipe). Gradients
 * are zeroed after the step.
 *
 * <p>Without Nesterov the step is the engine's fused SGD kernel (DJL's {@code sgdUpdate}: one
 * native call per parameter where the plain ops take about ten). That kernel keeps the buffer
 * with the learning rate folded in, u = lr * buf, which on its own would differ from PyTorch
 * whenever the rate changes; passing momentum * lr / lr_prev as its momentum keeps u exactly
 * lr * buf. A step at rate 0 would lose buf (u = 0), so it unfolds the buffers and takes the
 * plain ops, as Nesterov does. Numbers enter the plain ops as engine arrays (see
 * {@link EngineConstants}), never through DJL's NDArray-Number overloads.
 */
public final class Sgd {

    private final List<Parameter> parameters = new ArrayList<>();
    private final List<NDArray> buffers = new ArrayList<>();
    private final float momentum;
    private final float weightDecay;
    private final boolean nesterov;
    /** The buffers hold bufferScale * buf: the last learning rate after fused steps, else 1. */
    private float bufferScale = 1f;

    public Sgd(List<Parameter> trainable, double momentum, double weightDecay, boolean nesterov) {
        this.parameters.addAll(trainable);
        this.momentum = (float) momentum;
        this.weightDecay = (float) weightDecay;
        this.nesterov = nesterov;
        parameters.forEach(p -> buffers.add(null));
    }

    /** Applies one step with learning rate {@code lr} and zeroes the gradients. */
    public void step(float lr) {
        if (nesterov || lr == 0f) {
            unfoldBuffers();
            plainStep(lr);
        } else {
            fusedStep(lr);
        }
    }

    private void fusedStep(float lr) {
        float foldedMomentum = bufferScale == lr ? momentum : (float) ((double) momentum * lr / bufferScale);
        for (int i = 0; i < parameters.size(); i++) {
            NDArray w = parameters.get(i).getArray();
            NDList inputs = new NDList(w, null, null);
            if (momentum != 0f) {
                if (buffers.get(i) == null) {
                    buffers.set(i, w.zerosLike());
                }
                inputs.set(2, buffers.get(i));
            }
            // getGradient wraps the gradient in a new handle on every call; closing it frees
            // the wrapper only (the gradient stays with w). Left open, one handle per
            // parameter per step piles up in w's manager until the model closes.
            try (NDArray g = w.getGradient()) {
                inputs.set(1, g);
                // rescale 1, no clipping (-1); the kernel zeroes w's gradient afterwards
                w.getNDArrayInternal().sgdUpdate(inputs, new NDList(w), lr, weightDecay, 1f, -1f,
                        foldedMomentum, false);
            }
        }
        if (momentum != 0f) {
            bufferScale = lr;
        }
    }

    /** Brings the buffers back to buf itself (bufferScale 1), as the plain ops keep them. */
    private void unfoldBuffers() {
        if (bufferScale != 1f) {
            for (NDArray buf : buffers) {
                if (buf != null) {
                    // a one-off factor: EngineConstants would keep every value for good
                    try (NDArray factor = buf.getManager().full(new Shape(), 1f / bufferScale, buf.getDataType())) {
                        buf.muli(factor);
                    }
                }
            }
            bufferScale = 1f;
        }
    }

    private void plainStep(float lr) {
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
                try (NDArray g = w.getGradient()) { // a new wrapper each call, as in fusedStep
                    update(i, w, g, lrArray);
                    g.muli(EngineConstants.scalar(g, 0));
                }
            }
        } finally {
            if (lrArray != null) {
                lrArray.close();
            }
        }
    }

    private void update(int i, NDArray w, NDArray g, NDArray lr) {
        if (weightDecay != 0f) {
            try (NDArray decay = w.mul(EngineConstants.scalar(w, weightDecay))) {
                g.addi(decay);
            }
        }
        NDArray direction = g;
        if (momentum != 0f) {
            NDArray buf = buffers.get(i);
            if (buf == null) {
                buf = g.duplicate();
                buf.attach(w.getManager());
                buffers.set(i, buf);
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
    }

    /** Frees the momentum buffers. */
    public void close() {
        buffers.stream().filter(b -> b != null).forEach(NDArray::close);
        buffers.clear();
    }
}

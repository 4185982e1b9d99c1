package org.normlab.experiments.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.List;

/**
 * SGD with momentum, weight decay and Nesterov, with PyTorch's update rule (torch.optim.SGD,
 * dampening 0), so that recipes carry over exactly:
 * <pre>
 *   g = grad + wd * w;  buf = momentum * buf + g  (buf = g on the first step)
 *   step = nesterov ? g + momentum * buf : buf;   w -= lr * step
 * </pre>
 * DJL's own SGD folds the learning rate into the momentum buffer, which differs whenever the
 * learning rate changes. Weight decay applies to every trainable parameter (as the IEBN
 * authors' recipe). Gradients are zeroed after the step.
 */
public final class Sgd {

    private final List<Parameter> parameters = new ArrayList<>();
    private final List<NDArray> buffers = new ArrayList<>();
    private final float momentum;
    private final float weightDecay;
    private final boolean nesterov;

    public Sgd(List<Parameter> trainable, double momentum, double weightDecay, boolean nesterov) {
        this.parameters.addAll(trainable);
        this.momentum = (float) momentum;
        this.weightDecay = (float) weightDecay;
        this.nesterov = nesterov;
        parameters.forEach(p -> buffers.add(null));
    }

    /** Applies one step with learning rate {@code lr} and zeroes the gradients. */
    public void step(float lr) {
        for (int i = 0; i < parameters.size(); i++) {
            NDArray w = parameters.get(i).getArray();
            // getGradient wraps the gradient in a new handle on every call; closing it frees the
            // wrapper only (the gradient stays with w). Left open, one handle per parameter per
            // step piles up in w's manager until the model closes.
            try (NDArray g = w.getGradient()) {
                update(i, w, g, lr);
                g.muli(0f);
            }
        }
    }

    private void update(int i, NDArray w, NDArray g, float lr) {
        if (weightDecay != 0f) {
            try (NDArray decay = w.mul(weightDecay)) {
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
                buf.muli(momentum).addi(g);
            }
            if (nesterov) {
                try (NDArray ahead = buf.mul(momentum)) {
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

package org.normlab.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import org.normlab.results.FaultInjection;

/**
 * One optimization step: forward, loss, backward, SGD update. Shared by the training loop and
 * the benchmark, so that what is measured is what trains.
 */
public final class TrainStep implements AutoCloseable {

    /** The step's loss and how many samples it got right. */
    public record Result(float loss, long correct) {}

    /**
     * Sees what a step computed once its gradients are in the parameters, before the optimizer
     * uses them (doctor --determinism compares it between two runs). The arrays are the step's
     * own: read them, do not keep them.
     */
    @FunctionalInterface
    public interface Observer {
        void beforeUpdate(NDArray logits, NDArray loss);
    }

    private final Block model;
    private final NDManager manager;
    private final ParameterStore store;
    private final CrossEntropy loss;
    private final Sgd sgd;
    private Observer observer = (logits, loss) -> {};

    public TrainStep(Block model, NDManager manager, CrossEntropy loss, double momentum, double weightDecay, boolean nesterov) {
        this.model = model;
        this.manager = manager;
        this.store = new ParameterStore(manager, false);
        this.loss = loss;
        List<Parameter> trainable = new ArrayList<>();
        model.getParameters().forEach(p -> {
            if (p.getValue().requiresGradient()) {
                trainable.add(p.getValue());
            }
        });
        this.sgd = new Sgd(trainable, momentum, weightDecay, nesterov);
    }

    /**
     * Trains on one batch with learning rate {@code lr}. When the loss is not finite the
     * parameters are left untouched.
     */
    public Result step(NDArray x, NDArray y, float lr) {
        float value;
        long correct;
        try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
            FaultInjection.point("train:forward");
            NDArray logits = model.forward(store, new NDList(x), true).singletonOrThrow();
            NDArray l = loss.loss(logits, y);
            FaultInjection.point("train:backward");
            collector.backward(l);
            observer.beforeUpdate(logits, l);
            value = l.getFloat();
            correct = correct(logits, y);
        }
        if (Float.isFinite(value)) {
            FaultInjection.point("train:optimizer");
            sgd.step(lr);
        } else {
            sgd.zeroGradients(); // else this step's NaN gradients would add into the next step's
        }
        return new Result(value, correct);
    }

    /** Lets {@code observer} see every step from now on. */
    public TrainStep observedBy(Observer observer) {
        this.observer = observer;
        return this;
    }

    /** The model's predicted classes for x, in eval mode. */
    public NDArray predict(NDArray x) {
        return model.forward(store, new NDList(x), false).singletonOrThrow();
    }

    /** The optimizer, whose momentum a checkpoint carries. */
    public Sgd sgd() {
        return sgd;
    }

    public CrossEntropy loss() {
        return loss;
    }

    static long correct(NDArray logits, NDArray y) {
        try (NDArray predicted = logits.argMax(1);
                NDArray eq = predicted.toType(DataType.INT64, false).eq(y.toType(DataType.INT64, false))) {
            return eq.countNonzero().getLong();
        }
    }

    @Override
    public void close() {
        sgd.close();
    }
}

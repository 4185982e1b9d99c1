package org.normlab.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import org.junit.jupiter.api.Test;

/** Every trainable parameter is on the path from input to loss: a training step reaches it. */
class GradientFlowTest {

    private static void assertEveryParameterLearns(ModelSpec spec, int hw) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Block net = Models.build(spec, TestNorms.iebn(), TestNorms.bn());
            Shape in = new Shape(4, spec.inChannels(), hw, hw);
            net.initialize(manager, DataType.FLOAT32, in);
            NDArray x = manager.randomNormal(in);
            NDArray labels = manager.create(new float[] {0, 1, 2, 1});
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray logits = net.forward(new ParameterStore(manager, false), new NDList(x), true).singletonOrThrow();
                NDArray loss = Loss.softmaxCrossEntropyLoss().evaluate(new NDList(labels), new NDList(logits));
                collector.backward(loss);
            }
            int checked = 0;
            for (Pair<String, Parameter> p : net.getParameters()) {
                if (p.getValue().requiresGradient()) {
                    checked++;
                    NDArray grad = p.getValue().getArray().getGradient();
                    assertTrue(grad.abs().max().getFloat() > 0, p.getKey() + " got no gradient");
                }
            }
            assertEquals(net.getParameters().values().stream().filter(Parameter::requiresGradient).count(), checked);
        }
    }

    @Test
    void resnet20WithOptionA() {
        assertEveryParameterLearns(Models.parse("resnet20", 3, 1), 28);
    }

    @Test
    void bottleneckWithProjections() {
        assertEveryParameterLearns(new ModelSpec("cifar_resnet", 20, 3, 3, null, "bottleneck", false), 16);
    }

    @Test
    void resnet18() {
        assertEveryParameterLearns(Models.parse("resnet18", 3, 3), 64);
    }
}

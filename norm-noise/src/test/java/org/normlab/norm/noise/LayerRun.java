package org.normlab.norm.noise;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.LinkedHashMap;
import java.util.Map;
import org.normlab.norm.NormRegistry;
import org.normlab.norm.conformance.ReferenceFixture;

/**
 * One norm block loaded with a fixture's parameters and running statistics, run on the
 * fixture's input in float32: what the conformance kit does, with the raw values handed back so
 * a test can compare them to its own reference.
 */
final class LayerRun implements AutoCloseable {

    /** What one training step produced (loss = sum(y * upstream_grad)), as doubles. */
    record Train(double[] y, double[] gradX, Map<String, double[]> paramGrads, double[] runningMean, double[] runningVar) {}

    private final NDManager manager = NDManager.newBaseManager();
    private final ReferenceFixture fixture;
    private final Block block;
    private final Map<String, Parameter> params = new LinkedHashMap<>();
    private final ParameterStore store;

    LayerRun(Block block, ReferenceFixture fixture) {
        this.block = block;
        this.fixture = fixture;
        block.initialize(manager, DataType.FLOAT32, shape());
        for (Pair<String, Parameter> p : block.getParameters()) {
            params.put(p.getValue().getName(), p.getValue());
        }
        for (Map.Entry<String, double[]> e : fixture.parameters().entrySet()) {
            params.get(ReferenceFixture.parameterName(e.getKey())).getArray().set(floats(e.getValue()));
        }
        store = new ParameterStore(manager, false);
    }

    Block block() {
        return block;
    }

    static LayerRun of(NormRegistry registry, String norm, Map<String, ?> options, ReferenceFixture fixture) {
        return new LayerRun(registry.factory(norm, options).create(fixture.channels()), fixture);
    }

    /** A training step on the fixture's x from the fixture's running statistics. */
    Train train() {
        resetRunningStats();
        NDArray x = manager.create(floats(fixture.input("x")), shape());
        NDArray upstream = manager.create(floats(fixture.input("upstream_grad")), shape());
        x.setRequiresGradient(true);
        try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
            NDArray y = block.forward(store, new NDList(x), true).singletonOrThrow();
            collector.backward(y.mul(upstream).sum());
            Map<String, double[]> grads = new LinkedHashMap<>();
            for (String name : fixture.parameters().keySet()) {
                grads.put(name, doubles(params.get(ReferenceFixture.parameterName(name)).getArray().getGradient()));
            }
            return new Train(doubles(y), doubles(x.getGradient()), grads,
                    doubles(params.get("runningMean").getArray()), doubles(params.get("runningVar").getArray()));
        }
    }

    /** The output of a training-mode forward pass on the fixture's x, without gradients. */
    double[] forwardTrain() {
        resetRunningStats();
        NDArray x = manager.create(floats(fixture.input("x")), shape());
        return doubles(block.forward(store, new NDList(x), true).singletonOrThrow());
    }

    /** The eval output on the fixture's x with the fixture's running statistics. */
    double[] eval() {
        resetRunningStats();
        NDArray x = manager.create(floats(fixture.input("x")), shape());
        return doubles(block.forward(store, new NDList(x), false).singletonOrThrow());
    }

    private void resetRunningStats() {
        params.get("runningMean").getArray().set(floats(fixture.input("running_mean_before")));
        params.get("runningVar").getArray().set(floats(fixture.input("running_var_before")));
    }

    private Shape shape() {
        return new Shape(fixture.shape());
    }

    @Override
    public void close() {
        manager.close();
    }

    private static double[] doubles(NDArray a) {
        float[] f = a.toType(DataType.FLOAT32, false).toFloatArray();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    private static float[] floats(double[] values) {
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return f;
    }
}

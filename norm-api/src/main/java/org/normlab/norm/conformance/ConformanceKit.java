package org.normlab.norm.conformance;

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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.normlab.norm.NormConfigException;
import org.normlab.norm.NormOption;
import org.normlab.norm.NormProvider;
import org.normlab.norm.NormRegistry;

/**
 * Checks a norm plugin against a {@link ReferenceFixture}: loads the fixture's parameters and
 * running statistics into a fresh block, runs one training step (loss = sum(y * upstream_grad))
 * and one eval pass in float32, and compares the output, the updated running statistics, the
 * gradients of the input and of every parameter, and the eval output.
 *
 * <p>Plugin authors call {@link #check} from their own tests; {@code verify-norm} runs it from
 * the command line.
 */
public final class ConformanceKit {

    private ConformanceKit() {}

    /** Checks {@code norm} from {@code registry} with default tolerance and no extra options. */
    public static ConformanceReport check(NormRegistry registry, String norm, ReferenceFixture fixture) {
        return check(registry, norm, Map.of(), fixture, Tolerance.DEFAULT);
    }

    /**
     * @param options option values for the norm; fixture values (eps, momentum) fill the rest
     * @throws IllegalArgumentException when block and fixture do not fit together (shapes,
     *     parameters the block lacks or the fixture lacks)
     */
    public static ConformanceReport check(
            NormRegistry registry,
            String norm,
            Map<String, ?> options,
            ReferenceFixture fixture,
            Tolerance tolerance) {
        NormProvider provider = registry.provider(norm);
        Block block = registry.factory(norm, mergedOptions(provider, options, fixture)).create(fixture.channels());
        List<QuantityCheck> checks = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            Shape shape = new Shape(fixture.shape());
            block.initialize(manager, DataType.FLOAT32, shape);
            Map<String, Parameter> params = parametersByName(block);
            loadParameters(fixture, params);
            Parameter runningMean = require(params, "runningMean", fixture);
            Parameter runningVar = require(params, "runningVar", fixture);
            loadRunningStats(fixture, runningMean, runningVar);

            ParameterStore store = new ParameterStore(manager, false);
            NDArray x = manager.create(floats(fixture.input("x")), shape);
            NDArray upstream = manager.create(floats(fixture.input("upstream_grad")), shape);
            x.setRequiresGradient(true);
            Map<String, double[]> expected = fixture.train();
            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                NDArray y = block.forward(store, new NDList(x), true).singletonOrThrow();
                collector.backward(y.mul(upstream).sum());
                compare(checks, "train.y", y, expected.get("y"), tolerance);
                compare(checks, "train.grad_x", x.getGradient(), expected.get("grad_x"), tolerance);
                for (String name : fixture.parameters().keySet()) {
                    NDArray grad = params.get(camelCase(name)).getArray().getGradient();
                    compare(checks, "train.grad_" + name, grad, expected.get("grad_" + name), tolerance);
                }
            }
            compare(checks, "train.running_mean_after", runningMean.getArray(), expected.get("running_mean_after"), tolerance);
            compare(checks, "train.running_var_after", runningVar.getArray(), expected.get("running_var_after"), tolerance);

            loadRunningStats(fixture, runningMean, runningVar);
            NDArray yEval = block.forward(store, new NDList(x.stopGradient()), false).singletonOrThrow();
            compare(checks, "eval.y", yEval, fixture.eval().get("y"), tolerance);
        }
        return new ConformanceReport(norm, fixture.source(), tolerance, checks);
    }

    private static Map<String, Object> mergedOptions(
            NormProvider provider, Map<String, ?> options, ReferenceFixture fixture) {
        Map<String, Object> merged = new LinkedHashMap<>();
        for (NormOption option : provider.options()) {
            if (fixture.options().containsKey(option.name())) {
                merged.put(option.name(), fixture.options().get(option.name()));
            }
        }
        merged.putAll(options);
        return merged;
    }

    private static Map<String, Parameter> parametersByName(Block block) {
        Map<String, Parameter> byName = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            Parameter twin = byName.put(p.getValue().getName(), p.getValue());
            if (twin != null) {
                throw new IllegalArgumentException(
                        "the block has two parameters named '" + twin.getName() + "'; the kit checks single layers");
            }
        }
        return byName;
    }

    private static void loadParameters(ReferenceFixture fixture, Map<String, Parameter> params) {
        for (Map.Entry<String, double[]> e : fixture.parameters().entrySet()) {
            require(params, camelCase(e.getKey()), fixture).getArray().set(floats(e.getValue()));
            if (!fixture.train().containsKey("grad_" + e.getKey())) {
                throw new IllegalArgumentException(fixture.source() + ": no train.grad_" + e.getKey());
            }
        }
        List<String> missing = params.values().stream()
                .filter(Parameter::requiresGradient)
                .map(p -> snakeCase(p.getName()))
                .filter(key -> !fixture.parameters().containsKey(key))
                .toList();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(String.format(
                    "%s gives no values for the block's trainable parameters (expected keys: %s)",
                    fixture.source(), String.join(", ", missing)));
        }
    }

    private static void loadRunningStats(ReferenceFixture fixture, Parameter mean, Parameter var) {
        mean.getArray().set(floats(fixture.input("running_mean_before")));
        var.getArray().set(floats(fixture.input("running_var_before")));
    }

    private static Parameter require(Map<String, Parameter> params, String name, ReferenceFixture fixture) {
        Parameter p = params.get(name);
        if (p == null) {
            throw new IllegalArgumentException(String.format(
                    "%s has values for '%s', but the block has no such parameter (it has: %s)",
                    fixture.source(), name, String.join(", ", params.keySet())));
        }
        return p;
    }

    private static void compare(List<QuantityCheck> checks, String quantity, NDArray actual, double[] expected, Tolerance tol) {
        if (expected == null) {
            throw new NormConfigException("the fixture has no expected value for " + quantity);
        }
        if (actual == null) {
            throw new IllegalStateException("the block produced no value for " + quantity);
        }
        checks.add(QuantityCheck.compare(quantity, actual.toType(DataType.FLOAT32, false).toFloatArray(), expected, tol));
    }

    static String camelCase(String snake) {
        StringBuilder sb = new StringBuilder();
        boolean upper = false;
        for (char c : snake.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                sb.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return sb.toString();
    }

    static String snakeCase(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase();
    }

    private static float[] floats(double[] values) {
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return f;
    }
}

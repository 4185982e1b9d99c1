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
 * Checks a norm plugin against a {@link ReferenceFixture}: compares the block's freshly
 * initialised parameters with the fixture's {@code init} values (deterministic ones; random ones
 * are listed as skipped), then loads the fixture's parameters and
 * running statistics into a fresh block, runs one training step (loss = sum(y * upstream_grad))
 * and one eval pass in float32, and compares the output, the updated running statistics, the
 * gradients of the input and of every parameter, and the eval output. A norm without running
 * statistics has a fixture without {@code running_*} keys and a block without such parameters;
 * the kit checks whatever running statistics the fixture names, and no others. A parameter the
 * block keeps frozen (no gradient; e.g. iebn's gate with {@code gate: fixed}) is loaded from the
 * fixture like any parameter, and its gradient is compared as zeros.
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
     * @param options option values for the norm; they override the fixture's {@code options}
     *     object, and fixture values the norm declares (eps, momentum) fill the rest
     * @throws IllegalArgumentException when block and fixture do not fit together (shapes,
     *     options the norm lacks, parameters the block lacks or the fixture lacks)
     */
    public static ConformanceReport check(
            NormRegistry registry,
            String norm,
            Map<String, ?> options,
            ReferenceFixture fixture,
            Tolerance tolerance) {
        NormProvider provider = registry.provider(norm);
        if (!fixture.applyActivation() && !provider.carriesActivation()) {
            throw new IllegalArgumentException(String.format(
                    "%s has apply_act false, but norm '%s' carries no activation to leave out", fixture.source(), norm));
        }
        Block block = registry.factory(norm, mergedOptions(provider, options, fixture))
                .create(fixture.channels(), fixture.applyActivation());
        List<QuantityCheck> checks = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            long[] dims = fixture.shape();
            Shape shape = new Shape(dims);
            long[] perChannel = {fixture.channels()};
            block.initialize(manager, DataType.FLOAT32, shape);
            Map<String, Parameter> params = parametersByName(block);
            checkShapes(norm, fixture, params);
            for (Map.Entry<String, double[]> e : fixture.init().entrySet()) {
                Parameter p = require(params, ReferenceFixture.parameterName(e.getKey()), "init." + e.getKey(), fixture);
                long[] pShape = p.getArray().getShape().getShape();
                compare(checks, "init." + e.getKey(), pShape, parameterAxes(pShape, fixture.channels()), p.getArray(),
                        e.getValue(), tolerance);
            }
            fixture.initRandom().forEach((name, why) -> skipped.add("init." + name + ": " + why));
            loadParameters(fixture, params);
            Map<String, Parameter> running = runningStats(fixture, params);
            loadRunningStats(fixture, running);

            ParameterStore store = new ParameterStore(manager, false);
            NDArray x = manager.create(floats(fixture.input("x")), shape);
            NDArray upstream = manager.create(floats(fixture.input("upstream_grad")), shape);
            x.setRequiresGradient(true);
            Map<String, double[]> expected = fixture.train();
            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                NDArray y = block.forward(store, new NDList(x), true).singletonOrThrow();
                collector.backward(y.mul(upstream).sum());
                String axes = QuantityCheck.axesOf(dims);
                compare(checks, "train.y", dims, axes, y, expected.get("y"), tolerance);
                compare(checks, "train.grad_x", dims, axes, x.getGradient(), expected.get("grad_x"), tolerance);
                for (String name : fixture.parameters().keySet()) {
                    Parameter p = params.get(ReferenceFixture.parameterName(name));
                    long[] pShape = p.getArray().getShape().getShape();
                    compare(checks, "train.grad_" + name, pShape, parameterAxes(pShape, fixture.channels()),
                            gradient(p), expected.get("grad_" + name), tolerance);
                }
            }
            for (Map.Entry<String, Parameter> stat : running.entrySet()) {
                String key = "running_" + stat.getKey() + "_after";
                compare(checks, "train." + key, perChannel, "C", stat.getValue().getArray(), expected.get(key), tolerance);
            }

            loadRunningStats(fixture, running);
            NDArray yEval = block.forward(store, new NDList(x.stopGradient()), false).singletonOrThrow();
            compare(checks, "eval.y", dims, QuantityCheck.axesOf(dims), yEval, fixture.eval().get("y"), tolerance);
        }
        return new ConformanceReport(norm, fixture.source(), tolerance, checks, skipped);
    }

    /**
     * A parameter's gradient; zeros for one the block keeps frozen (no gradient), as the
     * reference writes for a parameter that gets none: a block that freezes what the reference
     * trains, or trains what it freezes, fails the comparison.
     */
    private static NDArray gradient(Parameter p) {
        return p.requiresGradient() ? p.getArray().getGradient() : p.getArray().zerosLike();
    }

    private static Map<String, Object> mergedOptions(
            NormProvider provider, Map<String, ?> options, ReferenceFixture fixture) {
        Map<String, Object> merged = new LinkedHashMap<>();
        for (NormOption option : provider.options()) {
            if (fixture.options().containsKey(option.name())) {
                merged.put(option.name(), fixture.options().get(option.name()));
            }
        }
        // The options object is what the layer is built with: a key the norm lacks is an error
        // (the registry names it), not silently dropped as the loose top-level numbers are.
        merged.putAll(fixture.layerOptions());
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
            require(params, ReferenceFixture.parameterName(e.getKey()), e.getKey(), fixture).getArray().set(floats(e.getValue()));
        }
        List<String> missing = params.values().stream()
                .filter(Parameter::requiresGradient)
                .map(p -> ReferenceFixture.key(p.getName()))
                .filter(key -> !fixture.parameters().containsKey(key))
                .toList();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(String.format(
                    "%s gives no values for the block's trainable parameters (expected keys: %s)",
                    fixture.source(), String.join(", ", missing)));
        }
    }

    /**
     * The block's running statistics by the fixture's names ({@code mean} is {@code runningMean}).
     * The block must have one for every statistic the fixture names, and the fixture values
     * for every non-trainable parameter of the block.
     */
    private static Map<String, Parameter> runningStats(ReferenceFixture fixture, Map<String, Parameter> params) {
        Map<String, Parameter> running = new LinkedHashMap<>();
        for (String stat : fixture.runningStats()) {
            String key = "running_" + stat;
            running.put(stat, require(params, ReferenceFixture.parameterName(key), key + "_before", fixture));
        }
        List<String> missing = params.values().stream()
                .filter(p -> !p.requiresGradient())
                .filter(p -> !running.containsValue(p))
                // a frozen parameter (not a running statistic) the fixture gives as a parameter
                .filter(p -> !fixture.parameters().containsKey(ReferenceFixture.key(p.getName())))
                .map(p -> ReferenceFixture.key(p.getName()) + "_before")
                .toList();
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(String.format(
                    "%s gives no values for the block's running statistics (expected keys: %s)",
                    fixture.source(), String.join(", ", missing)));
        }
        return running;
    }

    private static void loadRunningStats(ReferenceFixture fixture, Map<String, Parameter> running) {
        for (Map.Entry<String, Parameter> stat : running.entrySet()) {
            stat.getValue().getArray().set(floats(fixture.input("running_" + stat.getKey() + "_before")));
        }
    }

    private static Parameter require(Map<String, Parameter> params, String name, String key, ReferenceFixture fixture) {
        Parameter p = params.get(name);
        if (p == null) {
            throw new IllegalArgumentException(String.format(
                    "%s has values for '%s', but the block has no parameter '%s' (it has: %s)",
                    fixture.source(), key, name, params.isEmpty() ? "none" : String.join(", ", params.keySet())));
        }
        return p;
    }

    /** C for a per-channel parameter, empty (a scalar) for one value that is not per channel, else by rank. */
    private static String parameterAxes(long[] shape, int channels) {
        if (shape.length == 1 && shape[0] == channels) {
            return "C";
        }
        long size = 1;
        for (long d : shape) {
            size *= d;
        }
        return size == 1 ? "" : "index";
    }

    /**
     * Before any value is loaded: every parameter and running statistic the fixture names has as
     * many values as the block's parameter, or one line lists each that differs, e.g. {@code
     * alpha: fixture (1), block (4)}. (Missing names are reported by the loading that follows.)
     */
    private static void checkShapes(String norm, ReferenceFixture fixture, Map<String, Parameter> params) {
        Map<String, double[]> named = new LinkedHashMap<>(fixture.parameters());
        for (String stat : fixture.runningStats()) {
            named.put("running_" + stat, fixture.input("running_" + stat + "_before"));
        }
        List<String> differ = new ArrayList<>();
        named.forEach((key, values) -> {
            Parameter p = params.get(ReferenceFixture.parameterName(key));
            if (p != null && p.getArray().size() != values.length) {
                differ.add(String.format("%s: fixture (%d), block %s", key, values.length, p.getArray().getShape()));
            }
        });
        if (!differ.isEmpty()) {
            throw new IllegalArgumentException(String.format(
                    "%s and the block of norm '%s' differ in parameter shapes: %s (a parameter that is not per channel, "
                            + "such as a scalar, is made with PerChannelBlock.fixedShapeParameter)",
                    fixture.source(), norm, String.join("; ", differ)));
        }
    }

    private static void compare(
            List<QuantityCheck> checks, String quantity, long[] shape, String axes, NDArray actual, double[] expected,
            Tolerance tol) {
        if (expected == null) {
            throw new NormConfigException("the fixture has no expected value for " + quantity);
        }
        if (actual == null) {
            throw new IllegalStateException("the block produced no value for " + quantity);
        }
        float[] values = actual.toType(DataType.FLOAT32, false).toFloatArray();
        checks.add(QuantityCheck.compare(quantity, shape, axes, values, expected, tol));
    }

    private static float[] floats(double[] values) {
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) values[i];
        }
        return f;
    }
}

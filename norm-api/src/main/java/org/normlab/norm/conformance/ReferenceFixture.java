package org.normlab.norm.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reference values for one norm layer, as {@code bench/make_fixture.py} writes them (the
 * shipped fixtures are in {@code norm-api/src/test/resources/fixtures} and in each norm
 * module's {@code src/test/resources/fixtures}):
 * <ul>
 *   <li>{@code kind}, {@code shape} (N, C, ...), {@code x}, {@code upstream_grad} (flat, row-major);
 *   <li>{@code running_<stat>_before} for each running statistic the layer keeps
 *       ({@code running_mean_before}, {@code running_var_before}); a norm without running
 *       statistics has no {@code running_*} key at all. The block's parameter is
 *       {@code running<Stat>} ({@code runningMean});
 *   <li>every other top-level array is a parameter, named in snake_case ({@code gamma},
 *       {@code weight_readjust}); the block's parameter is its camelCase ({@code weightReadjust});
 *   <li>{@code options}: an object of option values the layer is built with (every key must be
 *       an option of the norm); top-level numbers ({@code eps}; {@code momentum_pytorch} is
 *       {@code momentum}) are options too where the norm declares them;
 *   <li>{@code apply_act}: false for a norm that carries its activation
 *       ({@code NormProvider#carriesActivation}) built without it; true when absent;
 *   <li>{@code train}: {@code y}, {@code running_<stat>_after}, {@code grad_x},
 *       {@code grad_<parameter>} for loss = sum(y * upstream_grad);
 *   <li>{@code eval}: {@code y}, with the running statistics from <em>before</em> the train step
 *       (equal to {@code train.y} for a norm without running statistics);
 *   <li>{@code init} (optional): parameters as the layer's constructor initialises them with the
 *       fixture's options, where that is deterministic; {@code init_random} (optional): parameter
 *       name to the reason it has no such values (a random initialisation).
 * </ul>
 * A plugin author produces the same file for a new layer with {@code bench/make_fixture.py}
 * (PyTorch, float64) and checks it with {@link ConformanceKit}.
 */
public final class ReferenceFixture {

    private static final Set<String> INPUTS = Set.of("x", "upstream_grad");
    private static final String RUNNING = "running_";
    private static final String BEFORE = "_before";

    private final String source;
    private final String kind;
    private final long[] shape;
    private final Map<String, double[]> inputs = new LinkedHashMap<>();
    private final Map<String, double[]> parameters = new LinkedHashMap<>();
    private final Map<String, Object> options = new LinkedHashMap<>();
    private final Map<String, Object> layerOptions = new LinkedHashMap<>();
    private final List<String> runningStats = new ArrayList<>();
    private final boolean applyActivation;
    private final Map<String, double[]> train = new LinkedHashMap<>();
    private final Map<String, double[]> eval = new LinkedHashMap<>();
    private final Map<String, double[]> init = new LinkedHashMap<>();
    private final Map<String, String> initRandom = new LinkedHashMap<>();

    private ReferenceFixture(String source, JsonNode root) {
        this.source = source;
        this.kind = root.path("kind").asText(null);
        JsonNode shapeNode = require(root, "shape");
        shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = shapeNode.get(i).asLong();
        }
        if (shape.length < 2) {
            throw invalid("'shape' must have at least 2 dimensions (N, C, ...)");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            JsonNode value = e.getValue();
            if (key.equals("shape")) {
                continue;
            }
            if (value.isArray() && key.startsWith(RUNNING) && key.endsWith(BEFORE)) {
                inputs.put(key, doubles(key, value));
                runningStats.add(key.substring(RUNNING.length(), key.length() - BEFORE.length()));
            } else if (value.isArray()) {
                (INPUTS.contains(key) ? inputs : parameters).put(key, doubles(key, value));
            } else if (value.isNumber()) {
                options.put(key.endsWith("_pytorch") ? key.substring(0, key.length() - 8) : key, value.numberValue());
            }
        }
        root.path("options").fields().forEachRemaining(e -> layerOptions.put(e.getKey(), plain(e.getValue())));
        options.putAll(layerOptions);
        JsonNode act = root.path("apply_act");
        if (!act.isMissingNode() && !act.isBoolean()) {
            throw invalid("'apply_act' must be true or false");
        }
        applyActivation = act.asBoolean(true);
        readSection(require(root, "train"), train);
        readSection(require(root, "eval"), eval);
        readSection(root.path("init"), init);
        root.path("init_random").fields().forEachRemaining(e -> initRandom.put(e.getKey(), e.getValue().asText()));
        checkSections();
        long size = 1;
        for (long d : shape) {
            size *= d;
        }
        for (String key : List.of("x", "upstream_grad")) {
            if (!inputs.containsKey(key)) {
                throw invalid("missing '" + key + "'");
            }
            if (inputs.get(key).length != size) {
                throw invalid(String.format("'%s' has %d values, shape needs %d", key, inputs.get(key).length, size));
            }
        }
    }

    /** The block parameter a fixture key names: its camelCase ({@code weight_readjust} is {@code weightReadjust}). */
    public static String parameterName(String key) {
        StringBuilder sb = new StringBuilder();
        boolean upper = false;
        for (char c : key.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                sb.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return sb.toString();
    }

    /** The fixture key of a block parameter: its snake_case ({@code runningMean} is {@code running_mean}). */
    public static String key(String parameterName) {
        return parameterName.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase();
    }

    public static ReferenceFixture load(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return load(file.toString(), in);
        }
    }

    public static ReferenceFixture load(String source, InputStream in) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new IOException(source + ": not a valid JSON fixture: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(source + ": a fixture must be a JSON object");
        }
        return new ReferenceFixture(source, root);
    }

    public String source() {
        return source;
    }

    /** The norm the fixture was made for, or null. */
    public String kind() {
        return kind;
    }

    public long[] shape() {
        return shape.clone();
    }

    public int channels() {
        return (int) shape[1];
    }

    /** x, upstream_grad and the running statistics before the step ({@code running_mean_before}). */
    public double[] input(String key) {
        return inputs.get(key);
    }

    /**
     * The running statistics the fixture has values for, e.g. {@code [mean, var]}: key
     * {@code running_mean_before}, block parameter {@code runningMean}. Empty for a norm
     * without running statistics.
     */
    public List<String> runningStats() {
        return Collections.unmodifiableList(runningStats);
    }

    /** The {@code options} object: values the layer is built with, each an option of the norm. */
    public Map<String, Object> layerOptions() {
        return Collections.unmodifiableMap(layerOptions);
    }

    /** False when a norm that carries its activation is to be built without it. */
    public boolean applyActivation() {
        return applyActivation;
    }

    /** Parameter values by snake_case name. */
    public Map<String, double[]> parameters() {
        return Collections.unmodifiableMap(parameters);
    }

    /** Options implied by the fixture: top-level numbers (eps, momentum, ...) and the {@code options} object. */
    public Map<String, Object> options() {
        return Collections.unmodifiableMap(options);
    }

    public Map<String, double[]> train() {
        return Collections.unmodifiableMap(train);
    }

    public Map<String, double[]> eval() {
        return Collections.unmodifiableMap(eval);
    }

    /** The freshly initialised parameters by snake_case name (deterministic ones); empty for older fixtures. */
    public Map<String, double[]> init() {
        return Collections.unmodifiableMap(init);
    }

    /** Parameters whose initialisation is not checked, with the reason (random ones). */
    public Map<String, String> initRandom() {
        return Collections.unmodifiableMap(initRandom);
    }

    /** Every expected value must belong to something the fixture defines, and vice versa. */
    private void checkSections() {
        List<String> wanted = new ArrayList<>(List.of("y", "grad_x"));
        parameters.keySet().forEach(p -> wanted.add("grad_" + p));
        runningStats.forEach(s -> wanted.add(RUNNING + s + "_after"));
        for (String key : wanted) {
            if (!train.containsKey(key)) {
                throw invalid("missing 'train." + key + "'");
            }
        }
        for (String key : train.keySet()) {
            if (!wanted.contains(key)) {
                throw invalid(String.format(
                        "'train.%s' belongs to no parameter or running statistic of the fixture (train has: %s)",
                        key, String.join(", ", wanted)));
            }
        }
        if (!eval.containsKey("y")) {
            throw invalid("missing 'eval.y'");
        }
        for (String key : init.keySet()) {
            if (!parameters.containsKey(key)) {
                throw invalid(String.format("'init.%s' belongs to no parameter of the fixture (it has: %s)",
                        key, String.join(", ", parameters.keySet())));
            }
            if (init.get(key).length != parameters.get(key).length) {
                throw invalid(String.format("'init.%s' has %d values, '%s' has %d",
                        key, init.get(key).length, key, parameters.get(key).length));
            }
        }
    }

    private void readSection(JsonNode node, Map<String, double[]> into) {
        node.fields().forEachRemaining(e -> {
            if (e.getValue().isArray()) {
                into.put(e.getKey(), doubles(e.getKey(), e.getValue()));
            }
        });
    }

    private JsonNode require(JsonNode node, String key) {
        if (!node.has(key)) {
            throw invalid("missing '" + key + "'");
        }
        return node.get(key);
    }

    private double[] doubles(String key, JsonNode array) {
        List<Double> values = new ArrayList<>();
        for (JsonNode v : array) {
            if (!v.isNumber()) {
                throw invalid("'" + key + "' must hold numbers only");
            }
            values.add(v.asDouble());
        }
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static Object plain(JsonNode v) {
        if (v.isNumber()) {
            return v.numberValue();
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        return v.asText();
    }

    private IllegalArgumentException invalid(String what) {
        return new IllegalArgumentException(source + ": invalid fixture: " + what);
    }
}

package org.normlab.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import org.normlab.models.ModelSpec;
import org.normlab.models.Models;
import org.normlab.norm.NormFactory;

/**
 * Trains one step of a small ResNet twice from the same start and compares every tensor bit for
 * bit: the initial parameters, the logits, the loss, every gradient, and every parameter and
 * running statistic after the SGD update. The step is the trials' own {@link TrainStep}, watched
 * through its {@link TrainStep.Observer}. On a sound engine the two runs agree exactly at any
 * thread count; they did not on AVX-512 with a convolution oneDNN computes wrongly
 * (docs/DETERMINISM.md), which is what {@code doctor --determinism} looks for on a new machine.
 */
public final class DeterminismCheck {

    /** CIFAR ResNet-8 on 3x16x16 images, batch 16: every kind of layer a trial has, in a second. */
    static final int DEPTH = 8;
    static final Shape BATCH = new Shape(16, 3, 16, 16);
    static final int CLASSES = 10;

    /**
     * @param compared how many tensors were compared
     * @param firstDifference the first tensor that differs and where, or null when all agree
     */
    public record Outcome(String norm, int compared, String firstDifference) {
        public boolean agrees() {
            return firstDifference == null;
        }
    }

    private DeterminismCheck() {}

    /**
     * Two identical training steps with {@code norm}, compared.
     *
     * @param factories a fresh factory for each run, as each trial gets one (a factory numbers
     *     the layers it makes, and a noise attack seeds each layer's stream with its number)
     */
    public static Outcome check(String norm, Supplier<NormFactory> factories) {
        Map<String, float[]> first = oneStep(factories.get());
        Map<String, float[]> second = oneStep(factories.get());
        for (Map.Entry<String, float[]> e : first.entrySet()) {
            float[] a = e.getValue();
            float[] b = second.get(e.getKey());
            if (!Arrays.equals(a, b)) {
                return new Outcome(norm, first.size(), describe(e.getKey(), a, b));
            }
        }
        return new Outcome(norm, first.size(), null);
    }

    private static String describe(String tensor, float[] a, float[] b) {
        if (b == null || a.length != b.length) {
            return String.format("%s: %d values in the first run, %s in the second", tensor, a.length,
                    b == null ? "none" : String.valueOf(b.length));
        }
        int i = 0;
        while (Float.floatToIntBits(a[i]) == Float.floatToIntBits(b[i])) {
            i++;
        }
        int differing = 0;
        for (int j = 0; j < a.length; j++) {
            differing += Float.floatToIntBits(a[j]) == Float.floatToIntBits(b[j]) ? 0 : 1;
        }
        return String.format(Locale.ROOT, "%s differs at element %d (%s in the first run, %s in the second; %d of %d "
                + "values differ)", tensor, i, a[i], b[i], differing, a.length);
    }

    /** Every tensor of one training step from a seeded start, in a fixed order. */
    private static Map<String, float[]> oneStep(NormFactory factory) {
        Map<String, float[]> out = new LinkedHashMap<>();
        Engine.getInstance().setRandomSeed(7);
        Block model = Models.build(new ModelSpec(ModelSpec.CIFAR_RESNET, DEPTH, CLASSES, (int) BATCH.get(1), null, null,
                false), factory, factory);
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            model.initialize(manager, DataType.FLOAT32, BATCH);
            record(out, "initial ", model, false);
            NDArray x = images(manager);
            NDArray y = labels(manager);
            try (TrainStep step = new TrainStep(model, manager, new CrossEntropy(0), 0.9, 5e-4, false)) {
                step.observedBy((logits, loss) -> {
                    out.put("logits", logits.toFloatArray());
                    out.put("loss", loss.toFloatArray());
                    record(out, "gradient of ", model, true);
                }).step(x, y, 0.1f);
                record(out, "after the step ", model, false);
            }
        }
        return out;
    }

    private static void record(Map<String, float[]> out, String prefix, Block model, boolean gradients) {
        for (Pair<String, Parameter> p : model.getParameters()) {
            NDArray value = p.getValue().getArray();
            if (!gradients) {
                out.put(prefix + p.getKey(), value.toType(DataType.FLOAT32, false).toFloatArray());
            } else if (value.hasGradient()) {
                try (NDArray g = value.getGradient()) {
                    out.put(prefix + p.getKey(), g.toFloatArray());
                }
            }
        }
    }

    /** Channels with different means and spreads, from a seeded Java generator (not the engine's). */
    private static NDArray images(NDManager manager) {
        Random random = new Random(3);
        float[] data = new float[(int) BATCH.size()];
        int perChannel = (int) (BATCH.get(2) * BATCH.get(3));
        for (int i = 0; i < data.length; i++) {
            int channel = (int) ((i / perChannel) % BATCH.get(1));
            data[i] = (float) (0.5 * channel + (1 + 0.5 * channel) * random.nextGaussian());
        }
        return manager.create(data, BATCH);
    }

    private static NDArray labels(NDManager manager) {
        float[] labels = new float[(int) BATCH.get(0)];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % CLASSES;
        }
        return manager.create(labels);
    }
}

package org.normlab.instruments;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.normlab.norm.ResumableRandom;

/**
 * Batch noise (IEBN's "disturbance to an instance caused by the other instances in its batch"),
 * measured: how much of a sample's output its batch companions decide.
 *
 * <p>The batch X of n samples is split into A (the first ⌊n/2⌋) and B (the rest); C is as many
 * other images as B. The model runs in training mode on A∪B (= X) and on A∪C, and for the
 * samples of A, per norm layer and at the logits,
 * <pre>batch_noise = ‖y_AB − y_AC‖_F / ‖y_AB‖_F</pre>
 * over those samples' outputs of that layer (all their channels and positions). A norm that
 * does not look across the batch gives exactly 0 at every layer; bn gives more the smaller the
 * batch.
 *
 * <p>Nothing of training changes: the passes run outside any gradient collector; every
 * parameter that takes no gradient (running statistics, of any block) is copied before and
 * written back after each pass (a step other than the plain one gets scratch running statistics
 * meanwhile, {@link OutputCapture}); the model's random streams (noise attacks) are put back at their positions, and
 * each pass starts them, and the engine (seeded with {@code engineSeed}), from the same state,
 * so an attack perturbs both passes alike and only the companions differ. The caller reseeds
 * the engine for its own step afterwards.
 *
 * <p>Per-layer values are for the layers with running statistics ({@link NormLayers#find}), the
 * rows of layers.csv; a layer's output is taken by running the layer itself once more on the
 * input its step was given in the pass (noise wrapper included; {@link OutputCapture}). A layer
 * whose output is all zero for A gives NaN.
 *
 * <p>Cost (BENCHMARKS.md): two forward passes plus one more run of each norm layer per pass.
 * A pass holds what a forward pass does (the extra runs' and the ratios' arrays are freed as
 * they go) plus the kept samples of A, so it stays below a training step's peak memory.
 */
public final class BatchNoise {

    /**
     * @param perLayer one value per layer, in the order of the layers passed in
     * @param logits the value at the network's output
     * @param classes the output's width (its axis 1)
     */
    public record Values(double[] perLayer, double logits, long classes) {
        public Values {
            perLayer = perLayer.clone();
        }

        @Override
        public double[] perLayer() {
            return perLayer.clone();
        }
    }

    private BatchNoise() {}

    /**
     * @param model the model, initialized
     * @param layers its norm layers with running statistics ({@link NormLayers#find}), or fewer
     * @param batch the step's batch X (n ≥ 2 samples, model input)
     * @param others at least n − ⌊n/2⌋ other images of the same shape; the first that many are C
     * @param engineSeed the engine's seed at the start of each pass
     */
    public static Values measure(Block model, List<NormLayer> layers, NDArray batch, NDArray others, int engineSeed) {
        long n = batch.getShape().get(0);
        long a = n / 2;
        long b = n - a;
        if (a < 1) {
            throw new IllegalArgumentException("batch noise needs a batch of at least 2 samples, got " + n);
        }
        if (others.getShape().get(0) < b || !others.getShape().slice(1).equals(batch.getShape().slice(1))) {
            throw new IllegalArgumentException(String.format(
                    "batch noise needs at least %d other images of shape %s, got %s", b, batch.getShape().slice(1), others.getShape()));
        }
        List<ResumableRandom> streams = RandomStreams.of(model);
        long[] positions = streams.stream().mapToLong(ResumableRandom::position).toArray();
        try (BufferSnapshot buffers = BufferSnapshot.take(model);
                NDManager scope = batch.getManager().newSubManager()) {
            NDList halves = new NDList(batch.get("0:" + a), others.get("0:" + b));
            halves.attach(scope);
            NDArray withC = NDArrays.concat(halves);
            List<NDArray> ab;
            List<NDArray> ac;
            try {
                ab = pass(model, layers, batch, a, scope, engineSeed);
                buffers.restore();
                seek(streams, positions);
                ac = pass(model, layers, withC, a, scope, engineSeed);
            } finally {
                buffers.restore();
                seek(streams, positions);
            }
            long classes = ab.get(ab.size() - 1).getShape().get(1);
            double[] v = new double[ab.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = ratio(ab.get(i), ac.get(i), scope);
            }
            return new Values(Arrays.copyOf(v, layers.size()), v[layers.size()], classes);
        }
    }

    /**
     * ‖yAB − yAC‖_F / ‖yAB‖_F. In float32, as the outputs are: a float32 difference is off by at
     * most half a unit in its last place (and exact for equal or close values, so a
     * batch-independent layer reads exactly 0), and the engine sums in a cascade, good to about
     * 1e-6 relative (float64 copies cost a fifth of a training step and changed nothing a test sees).
     * Both arrays and every intermediate are freed on return, so each layer's outputs go as soon
     * as their value is taken.
     */
    private static double ratio(NDArray yAB, NDArray yAC, NDManager parent) {
        try (NDManager scratch = parent.newSubManager()) {
            yAB.attach(scratch);
            yAC.attach(scratch);
            NDArray r = frobenius(yAB.sub(yAC)).div(frobenius(yAB));
            return r.toType(DataType.FLOAT64, false).getDouble();
        }
    }

    private static NDArray frobenius(NDArray x) {
        return x.square().sum().sqrt();
    }

    private static void seek(List<ResumableRandom> streams, long[] positions) {
        for (int i = 0; i < streams.size(); i++) {
            if (streams.get(i).position() != positions[i]) {
                streams.get(i).seek(positions[i]);
            }
        }
    }

    /**
     * One training-mode pass on {@code input}: the first {@code a} samples' output of every layer,
     * then of the model, owned by {@code keep}. Everything else the pass makes is freed on return.
     */
    private static List<NDArray> pass(Block model, List<NormLayer> layers, NDArray input, long a, NDManager keep, int engineSeed) {
        Engine.getInstance().setRandomSeed(engineSeed);
        ParameterStore store = new ParameterStore(input.getManager(), false);
        List<OutputCapture> captures = new ArrayList<>();
        List<NDArray> outputs = new ArrayList<>();
        try (NDManager passScope = keep.newSubManager();
                StepSwap swap = new StepSwap(layers, (layer, step) -> {
                    OutputCapture c = new OutputCapture(layer, store, a, keep);
                    captures.add(c);
                    return c.step(step);
                })) {
            NDList inputs = new NDList(input);
            inputs.tempAttach(passScope);
            NDArray logits = model.forward(store, inputs, true).singletonOrThrow();
            for (OutputCapture c : captures) {
                if (c.output() == null) {
                    NormLayer layer = c.layer();
                    throw new IllegalStateException(String.format(
                            "norm layer %d (%s, %s) did not pass its input through its step in a training forward pass, "
                                    + "so its output cannot be observed; an AbstractBatchNormBlock must call standardize() "
                                    + "(or fusedPathAllowed()) whenever it normalizes",
                            layer.index(), layer.path(), layer.block().getClass().getName()));
                }
                outputs.add(c.output());
            }
            outputs.add(OutputCapture.kept(logits, a, keep));
        }
        return outputs;
    }
}

package org.normlab.norm.iebn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.normlab.norm.AbstractBatchNormBlock;
import org.normlab.norm.BatchNormOptions;
import org.normlab.norm.EngineConstants;
import org.normlab.norm.LayerProbe;
import org.normlab.norm.NormOption;
import org.normlab.norm.NormOptions;
import org.normlab.norm.RunningStats;

/**
 * Instance Enhancement Batch Normalization (Liang et al., AAAI 2020):
 * y = x_hat * gamma * sigmoid(w * mean_hw(x) + b) + beta, the gate pooled over the raw input,
 * per instance and channel, in training and in eval. Initial values: gamma 1, beta 0, w 0, b -1.
 *
 * <p>With the plain batch step (watched by layers.csv's probes or not) eval, and training on a
 * large input, run fused, as one per-(n, c) affine of x after one or two reductions over it (see
 * {@link #fusedForward}); training on a small input (see {@link #FUSED_MIN_SIZE}), and any input
 * under a replaced step (a noise wrapper), takes x_hat from the step and applies the gate on top.
 *
 * <p>With the option {@code gate: fixed} (the control that separates the gate from its scale) w
 * and b keep their initial values 0 and -1 and are out of training: no gradient, no optimizer
 * update, no weight decay. The gate is then sigmoid(-1) for every instance and channel, and the
 * layer is bn whose gamma is scaled by sigmoid(-1) ~ 0.269.
 *
 * <p>As a {@link LayerProbe} it reports its gate over (N, C) on a sampled batch: gate_mean,
 * gate_std (population std over the N*C values), gate_min, gate_max.
 */
public class IebnLayer extends AbstractBatchNormBlock implements LayerProbe {

    /** The gate: learned per channel ({@code adaptive}, the paper's) or frozen at its initial value. */
    public static final NormOption GATE = NormOption.string("gate", "adaptive", List.of("adaptive", "fixed"),
            "adaptive: w and b are trained (the paper); fixed: w = 0 and b = -1 stay out of training, "
                    + "so the gate is sigmoid(-1) for every instance (the control for the gate's initial scale)");

    private static final byte VERSION = 1;
    private static final int[] BATCH_AXIS = {0};
    /** Feature maps at least this large (H*W) take the fused affine kernel; see perMapAffine. */
    static final long KERNEL_MIN_MAP_SIZE = 512;
    /**
     * Inputs with at least this many values take the fused path in training. Smaller layers cost what their
     * engine calls cost, not what their memory passes do, and the generic path makes about half
     * as many calls (measured on ResNet-20 training steps, BENCHMARKS.md: generic 6-10% faster at
     * batch 16 on 1x16x16, whose largest layer has 65536 values; fused 5-18% faster from batch
     * 32 on 3x32x32 and batch 64 on 1x16x16 up).
     */
    static final long FUSED_MIN_SIZE = 1 << 17;

    private final boolean affine;
    /** {@link #FUSED_MIN_SIZE}; tests lower it to compare the two paths on small inputs. */
    long fusedMinSize = FUSED_MIN_SIZE;
    private Parameter gamma;
    private Parameter beta;
    private final Parameter weightReadjust;
    private final Parameter biasReadjust;

    public IebnLayer(NormOptions options) {
        super(VERSION, options);
        affine = options.getBoolean(BatchNormOptions.AFFINE.name());
        if (affine) {
            gamma = perChannelParameter("gamma", Parameter.Type.GAMMA);
            beta = perChannelParameter("beta", Parameter.Type.BETA);
        }
        boolean trainedGate = "adaptive".equals(options.getString(GATE.name()));
        weightReadjust = addParameter(gateParameter("weightReadjust", 0f, trainedGate));
        biasReadjust = addParameter(gateParameter("biasReadjust", -1f, trainedGate));
    }

    /**
     * Type OTHER with a fixed initializer: a model-wide weight initializer must not touch it.
     * Untrained, it requires no gradient, which keeps it out of the optimizer (and its weight
     * decay) and out of the trainable-parameter count; it is still saved with the model.
     */
    private static Parameter gateParameter(String name, float initial, boolean trained) {
        return Parameter.builder()
                .setName(name)
                .setType(Parameter.Type.OTHER)
                .optInitializer(new ConstantInitializer(initial))
                .optRequiresGrad(trained)
                .build();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        // In eval the fused path is one reduction and one affine over x, against the generic path's
        // reduction, batch-norm kernel, multiply and add: it wins at every size (BENCHMARKS.md).
        boolean fusedBySize = !training || x.getShape().size() >= fusedMinSize;
        if (fusedBySize && canFuse(x, training) && fusedPathAllowed(store, x, training)) {
            return new NDList(fusedForward(store, x, training));
        }
        NDArray gate = Activation.sigmoid(perChannel(store, weightReadjust, x, training)
                .mul(meanOver(x, spatialAxes(x)))
                .add(perChannel(store, biasReadjust, x, training)));
        NDArray xHat = standardize(store, x, training);
        if (!affine) {
            return new NDList(xHat.mul(gate));
        }
        NDArray scale = gate.mul(perChannel(store, gamma, x, training));
        return new NDList(xHat.mul(scale).add(perChannel(store, beta, x, training)));
    }

    /**
     * Empty inputs, and training on a single value per channel (which the engine's kernel
     * rejects with its own message), take the generic path.
     */
    private static boolean canFuse(NDArray x, boolean training) {
        long size = x.getShape().size();
        return size > 0 && (!training || size / x.getShape().get(1) > 1);
    }

    /**
     * The layer as one per-(n, c) affine of x: y = x * scale + shift with
     * scale = gamma * gate / sqrt(var + eps) and shift = beta - mean * scale, mean and var being
     * the batch statistics in training and the running ones in eval.
     *
     * <p>Passes over x: its (n, c) sums, which give both the gate's pooling and the batch mean;
     * in training its squares, for the batch variance E[x^2] - mean^2; and the affine, one
     * {@link FusedAffine} on x viewed as (1, N*C, L). Everything else is on (N, C) or (C)
     * arrays, and autograd through them keeps the gradients exact. E[x^2] - mean^2 loses
     * precision when a channel's mean is far larger than its spread; the engine's own batch norm
     * takes a second pass instead.
     */
    private NDArray fusedForward(ParameterStore store, NDArray x, boolean training) {
        Shape shape = x.getShape();
        long n = shape.get(0);
        long c = shape.get(1);
        long l = shape.size() / (n * c);
        // An op's result belongs to its first operand's manager: chains start from x, or their
        // result is moved to x's manager, never left with the parameters' or the constants'.
        NDArray sums = l == 1 ? x.reshape(n, c) : x.sum(spatialAxes(x));
        RunningStats stats = runningStats(store, x, training);
        NDArray mean;
        NDArray var;
        if (training) {
            mean = sums.sum(BATCH_AXIS).mul(EngineConstants.scalar(x, 1.0 / (n * l)));
            // relu: rounding can take the variance of a near-constant channel below 0.
            var = Activation.relu(meanOfSquares(x, n * l).sub(mean.square()));
            stats.update(mean, var, n * l);
        } else {
            mean = stats.mean();
            var = stats.var();
        }
        // Plain ops on the (N, C) arrays: cheaper than a kernel call at that size.
        NDArray w = owned(value(store, weightReadjust, x, training).mul(EngineConstants.scalar(x, 1.0 / l)), x);
        NDArray gate = Activation.sigmoid(sums.mul(w).add(value(store, biasReadjust, x, training)));
        NDArray invStd = owned(var.add(EngineConstants.scalar(x, eps)), x).pow(EngineConstants.scalar(x, -0.5));
        NDArray scale = gate.mul(affine ? invStd.mul(value(store, gamma, x, training)) : invStd);
        NDArray shift = scale.mul(owned(mean.neg(), x));
        if (affine) {
            shift = shift.add(value(store, beta, x, training));
        }
        return perMapAffine(x, scale, shift);
    }

    /**
     * x * scale + shift with scale and shift per (n, c), of shape (N, C). On large maps one
     * {@link FusedAffine} pass over x viewed as (1, N*C, L); on small ones (deep layers, where
     * N*C is large and L small) that kernel's per-channel overhead outweighs a second pass, and
     * a broadcast multiply and add is faster (measured: 130 vs 35 us at 64x512x1x1, 390 vs 540
     * us at 128x16x32x32).
     */
    private static NDArray perMapAffine(NDArray x, NDArray scale, NDArray shift) {
        Shape shape = x.getShape();
        long n = shape.get(0);
        long c = shape.get(1);
        long l = shape.size() / (n * c);
        if (l >= KERNEL_MIN_MAP_SIZE) {
            Shape rows = new Shape(n * c);
            return FusedAffine.apply(x.reshape(1, n * c, l), scale.reshape(rows), shift.reshape(rows)).reshape(shape);
        }
        long[] dims = new long[shape.dimension()];
        java.util.Arrays.fill(dims, 1);
        dims[0] = n;
        dims[1] = c;
        Shape perMap = new Shape(dims);
        // in place on the product: mul's backward needs its inputs, not its output
        return x.mul(scale.reshape(perMap)).addi(shift.reshape(perMap));
    }

    /**
     * E[x^2] per channel, from the sums of x * x.detach(): one pass forward and one backward,
     * where the norm's backward takes three. Detaching one factor halves the gradient, hence
     * 2q - q.detach(): the value of q with twice its gradient. The square is closed at once so
     * that its memory is reused right away.
     */
    private static NDArray meanOfSquares(NDArray x, long count) {
        NDArray q;
        try (NDArray squares = x.mul(x.stopGradient())) {
            q = squares.sum(axesBut(1, x));
        }
        return q.mul(EngineConstants.scalar(x, 2.0 / count)).sub(q.stopGradient().mul(EngineConstants.scalar(x, 1.0 / count)));
    }

    /** Every axis of x but {@code axis}. */
    private static int[] axesBut(int axis, NDArray x) {
        int[] axes = new int[x.getShape().dimension() - 1];
        for (int i = 0; i < axes.length; i++) {
            axes[i] = i < axis ? i : i + 1;
        }
        return axes;
    }

    /** a, moved to x's manager. */
    private static NDArray owned(NDArray a, NDArray x) {
        a.attach(x.getManager());
        return a;
    }

    private static NDArray value(ParameterStore store, Parameter p, NDArray x, boolean training) {
        return store.getValue(p, x.getDevice(), training);
    }

    /**
     * The gate sigmoid(w_c * mean_hw(x) + b_c) over (N, C), summarized on the engine: four
     * scalars come back to Java. Uses the parameters' current values; changes nothing.
     */
    @Override
    public Map<String, Double> probe(NDArray input) {
        long n = input.getShape().get(0);
        long c = input.getShape().get(1);
        NDArray pooled = meanOver(input, spatialAxes(input)).reshape(n, c);
        NDArray w = master(weightReadjust, input).reshape(1, c);
        NDArray b = master(biasReadjust, input).reshape(1, c);
        NDArray gate = Activation.sigmoid(pooled.mul(w).add(b));
        NDArray mean = gate.mean();
        NDArray std = gate.sub(mean).square().mean().sqrt();
        double[] v = NDArrays.stack(new NDList(mean, std, gate.min(), gate.max()))
                .toType(DataType.FLOAT64, false)
                .toDoubleArray();
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("gate_mean", v[0]);
        values.put("gate_std", v[1]);
        values.put("gate_min", v[2]);
        values.put("gate_max", v[3]);
        return values;
    }

    /** A parameter's master value, detached, on x's device and owned by x's manager. */
    private static NDArray master(Parameter p, NDArray x) {
        NDArray detached = p.getArray().stopGradient();
        detached.attach(x.getManager());
        return detached.toDevice(x.getDevice(), false);
    }
}

package org.normlab.norm.testing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;
import java.util.List;
import org.normlab.norm.NormOption;
import org.normlab.norm.NormOptions;
import org.normlab.norm.NormProvider;
import org.normlab.norm.NormSpec;
import org.normlab.norm.PerChannelBlock;

/**
 * Test plugin {@code test-dyt}, Dynamic Tanh (Zhu et al. 2025): y = tanh(alpha * x) * gamma +
 * beta with one scalar alpha. Option {@code per_channel_alpha} builds alpha per channel instead,
 * the mistake the kit must name before loading anything; {@code ignore_alpha_init} starts alpha
 * at 1, the mistake the fixture's {@code init} values catch.
 */
public final class DynamicTanhProvider implements NormProvider {

    public static final NormOption ALPHA_INIT = NormOption.real("alpha_init", 0.5, 0, 10, "alpha's initial value");
    public static final NormOption PER_CHANNEL_ALPHA =
            NormOption.bool("per_channel_alpha", false, "test only: alpha of shape (C), the wrong shape");
    public static final NormOption IGNORE_ALPHA_INIT =
            NormOption.bool("ignore_alpha_init", false, "test only: alpha starts at 1 whatever alpha_init says");

    @Override
    public String name() {
        return "test-dyt";
    }

    @Override
    public String description() {
        return "test plugin: dynamic tanh with a scalar alpha";
    }

    @Override
    public List<NormOption> options() {
        return List.of(ALPHA_INIT, PER_CHANNEL_ALPHA, IGNORE_ALPHA_INIT);
    }

    @Override
    public Block create(NormSpec spec) {
        return new DynamicTanh(spec.options());
    }

    static final class DynamicTanh extends PerChannelBlock {
        private final Parameter alpha;
        private final Parameter gamma;
        private final Parameter beta;

        DynamicTanh(NormOptions options) {
            super((byte) 1);
            ConstantInitializer init = new ConstantInitializer(
                    options.getBoolean(IGNORE_ALPHA_INIT.name()) ? 1f : options.getFloat(ALPHA_INIT.name()));
            alpha = options.getBoolean(PER_CHANNEL_ALPHA.name())
                    ? addParameter(Parameter.builder().setName("alpha").setType(Parameter.Type.OTHER).optInitializer(init).build())
                    : fixedShapeParameter("alpha", new Shape(1), init);
            gamma = perChannelParameter("gamma", Parameter.Type.GAMMA);
            beta = perChannelParameter("beta", Parameter.Type.BETA);
        }

        @Override
        protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
            NDArray x = inputs.singletonOrThrow();
            NDArray a = store.getValue(alpha, x.getDevice(), training);
            if (a.size() > 1) {
                a = perChannel(store, alpha, x, training);
            }
            return new NDList(affine(store, x.mul(a).tanh(), gamma, beta, training));
        }
    }
}

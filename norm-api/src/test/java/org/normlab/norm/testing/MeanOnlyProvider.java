package org.normlab.norm.testing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;
import java.util.Set;
import org.normlab.norm.AbstractBatchNormBlock;
import org.normlab.norm.BatchNormOptions;
import org.normlab.norm.NormOption;
import org.normlab.norm.NormOptions;
import org.normlab.norm.NormProvider;
import org.normlab.norm.NormSpec;
import org.normlab.norm.RunningStatistic;
import org.normlab.norm.RunningStats;
import org.normlab.norm.Standardizer;

/**
 * Test plugin {@code test-mobn}, mean-only batch normalization (Salimans and Kingma 2016): y = x -
 * mu + beta, a running mean and no running variance, no eps option; its own step keeps the mean.
 */
public final class MeanOnlyProvider implements NormProvider {

    /** x - batch mean in training (running mean updated, PyTorch momentum), x - running mean in eval. */
    public static final Standardizer MEAN_ONLY = new Standardizer() {
        @Override
        public NDArray standardize(NDArray x, RunningStats stats, boolean training) {
            NDArray mean = training ? RunningStats.channelMean(x) : stats.mean();
            if (training) {
                stats.update(mean, null, RunningStats.countPerChannel(x));
            }
            return x.sub(mean.reshape(RunningStats.broadcastShape(x)));
        }

        @Override
        public Set<RunningStatistic> keeps() {
            return Set.of(RunningStatistic.MEAN);
        }
    };

    @Override
    public String name() {
        return "test-mobn";
    }

    @Override
    public String description() {
        return "test plugin: mean-only batch normalization";
    }

    @Override
    public List<NormOption> options() {
        return List.of(BatchNormOptions.MOMENTUM);
    }

    @Override
    public Block create(NormSpec spec) {
        return new MeanOnly(spec.options());
    }

    static final class MeanOnly extends AbstractBatchNormBlock {
        private final Parameter beta;

        MeanOnly(NormOptions options) {
            super((byte) 1, options, false);
            beta = perChannelParameter("beta", Parameter.Type.BETA);
            setStandardizer(MEAN_ONLY);
        }

        @Override
        protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
            NDArray xHat = standardize(store, inputs.singletonOrThrow(), training);
            return new NDList(xHat.add(perChannel(store, beta, xHat, training)));
        }
    }
}

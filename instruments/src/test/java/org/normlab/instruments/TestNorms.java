package org.normlab.instruments;

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
import org.normlab.norm.EngineConstants;
import org.normlab.norm.NormOption;
import org.normlab.norm.NormOptions;
import org.normlab.norm.NormProvider;
import org.normlab.norm.NormSpec;
import org.normlab.norm.RunningStatistic;
import org.normlab.norm.RunningStats;
import org.normlab.norm.Standardizer;

/**
 * Test-only norms whose batch-normalized step is not plain BN's, registered for the instrument
 * tests (and attackable through the registry, e.g. {@code constant} with {@code inner: test-mobn}):
 * {@code test-mobn}, mean-only batch normalization (Salimans and Kingma 2016) plus a shift, and
 * {@code test-mobn-novar}, the same without a running variance or eps, and {@code test-tanh}, a
 * step that uses no statistics at all.
 */
final class TestNorms {

    private TestNorms() {}

    /** x - mean(x) in training (updating the running mean only), x - running mean in eval. */
    static final Standardizer MEAN_ONLY = new Standardizer() {
        @Override
        public NDArray standardize(NDArray x, RunningStats stats, boolean training) {
            if (!training) {
                return x.sub(stats.mean().reshape(RunningStats.broadcastShape(x)));
            }
            NDArray mean = RunningStats.channelMean(x);
            NDArray keep = EngineConstants.scalar(stats.mean(), 1 - stats.momentum());
            NDArray add = mean.stopGradient().mul(EngineConstants.scalar(mean, stats.momentum()));
            stats.mean().muli(keep).addi(add);
            return x.sub(mean.reshape(RunningStats.broadcastShape(x)));
        }

        @Override
        public Set<RunningStatistic> keeps() {
            return Set.of(RunningStatistic.MEAN);
        }
    };

    /** tanh(x), the same in training and eval; no running statistic is read or written. */
    static final Standardizer TANH = (x, stats, training) -> x.tanh();

    /** y = step(x) + beta with the given step. */
    static final class ShiftedStepLayer extends AbstractBatchNormBlock {
        private final Parameter beta;

        ShiftedStepLayer(NormOptions options, Standardizer step) {
            this(options, step, true);
        }

        ShiftedStepLayer(NormOptions options, Standardizer step, boolean runningVariance) {
            super((byte) 1, options, runningVariance);
            beta = perChannelParameter("beta", Parameter.Type.BETA);
            setStandardizer(step);
        }

        @Override
        protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
            NDArray xHat = standardize(store, inputs.singletonOrThrow(), training);
            return new NDList(xHat.add(perChannel(store, beta, xHat, training)));
        }
    }

    public static final class MeanOnlyProvider implements NormProvider {
        @Override
        public String name() {
            return "test-mobn";
        }

        @Override
        public String description() {
            return "test only: mean-only batch normalization";
        }

        @Override
        public List<NormOption> options() {
            return List.of(BatchNormOptions.EPS, BatchNormOptions.MOMENTUM);
        }

        @Override
        public Block create(NormSpec spec) {
            return new ShiftedStepLayer(spec.options(), MEAN_ONLY);
        }
    }

    /** Mean-only BN as a plugin would now write it: no running variance, no eps option. */
    public static final class MeanOnlyNoVarianceProvider implements NormProvider {
        @Override
        public String name() {
            return "test-mobn-novar";
        }

        @Override
        public String description() {
            return "test only: mean-only batch normalization without a running variance";
        }

        @Override
        public List<NormOption> options() {
            return List.of(BatchNormOptions.MOMENTUM);
        }

        @Override
        public Block create(NormSpec spec) {
            return new ShiftedStepLayer(spec.options(), MEAN_ONLY, false);
        }
    }

    public static final class TanhProvider implements NormProvider {
        @Override
        public String name() {
            return "test-tanh";
        }

        @Override
        public String description() {
            return "test only: a batch-norm block whose step uses no statistics";
        }

        @Override
        public List<NormOption> options() {
            return List.of(BatchNormOptions.EPS, BatchNormOptions.MOMENTUM);
        }

        @Override
        public Block create(NormSpec spec) {
            return new ShiftedStepLayer(spec.options(), TANH);
        }
    }
}

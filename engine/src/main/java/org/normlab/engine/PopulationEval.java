package org.normlab.engine;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;
import org.normlab.results.ResultSchema;
import org.normlab.instruments.BatchStatistics;
import org.normlab.instruments.NormLayers;
import org.normlab.instruments.PreciseStats;

/**
 * eval.stats after training (Wu and Johnson 2021). {@code ema} is the loop's own last evaluation
 * (the running statistics), so nothing is computed for it here. {@code precise}: every norm
 * layer's population statistics recomputed with the frozen weights over {@code precise_images}
 * training images, in training batches, the plain average over batches as fvcore's
 * {@code update_bn_stats}; evaluated, then the trained (EMA) statistics are put back, so
 * checkpoints and anything after keep the EMA ones. {@code batch}: evaluated with each eval
 * batch's own statistics at eval.batch_size.
 *
 * <p>Norms without running statistics (gn, ln, frn, ...) evaluate the same whatever eval.stats
 * says: precise and batch are skipped for them, and the run says so once per norm. So is precise
 * for a norm whose step keeps no running statistics ({@code Standardizer.keeps()}); its batch
 * evaluation runs its own step on each eval batch, which equals its ema one.
 */
public final class PopulationEval implements FinalEvaluation {

    /** Norm names already noted in this process: the note is one line, not one per trial. */
    private static final Set<String> NOTED = ConcurrentHashMap.newKeySet();

    private final Block model;
    private final NDManager manager;
    private final BatchSource train;
    private final BatchSource val;
    private final EvalPlan plan;
    private final int firstEpoch;
    private final String normName;
    private final Consumer<String> note;

    /**
     * @param firstEpoch the training order the precise batches start from (the first epoch not
     *     trained on: a fresh shuffle, augmented as in training)
     * @param normName the trial's norm, for the note
     * @param note where the one-line note goes (the run's output)
     */
    public PopulationEval(Block model, NDManager manager, BatchSource train, BatchSource val, EvalPlan plan,
            int firstEpoch, String normName, Consumer<String> note) {
        this.model = model;
        this.manager = manager;
        this.train = train;
        this.val = val;
        this.plan = plan;
        this.firstEpoch = firstEpoch;
        this.normName = normName;
        this.note = note;
    }

    @Override
    public Map<String, Double> evaluate(ToDoubleFunction<BatchSource> accuracy) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        if (!plan.has("precise") && !plan.has("batch")) {
            return metrics;
        }
        if (NormLayers.find(model).isEmpty()) {
            if (NOTED.add(normName)) {
                note.accept("eval.stats: " + normName + " has no running statistics, so precise and batch are "
                        + "skipped for it (only final_val_acc_ema is written)");
            }
            return metrics;
        }
        if (plan.has("precise") && NormLayers.find(model).stream().allMatch(l -> l.kept().isEmpty())) {
            if (NOTED.add(normName + "/precise")) {
                note.accept("eval.stats: " + normName + "'s batch-normalized step keeps no running statistics, so "
                        + "precise is skipped for it (there is nothing to recompute)");
            }
        } else if (plan.has("precise")) {
            ParameterStore store = new ParameterStore(manager, false);
            try (PreciseStats precise = PreciseStats.install(model, store, trainImages(plan.preciseImages()))) {
                metrics.put(ResultSchema.FINAL_VAL_ACC_PRECISE, accuracy.applyAsDouble(val));
            }
        }
        if (plan.has("batch")) {
            BatchSource batchVal = plan.batchEvalData().get();
            try (BatchStatistics batch = BatchStatistics.install(model)) {
                metrics.put(ResultSchema.FINAL_VAL_ACC_BATCH, accuracy.applyAsDouble(batchVal));
            }
        }
        return metrics;
    }

    /** Training batches until at least {@code images} images, cycling through epochs if needed. */
    private Consumer<Consumer<NDList>> trainImages(int images) {
        return sink -> {
            long[] seen = {0};
            for (int epoch = firstEpoch; seen[0] < images; epoch++) {
                long before = seen[0];
                train.forEachBatch(manager, epoch, (x, y, components) -> {
                    if (seen[0] < images) {
                        sink.accept(new NDList(x));
                        seen[0] += x.getShape().get(0);
                    }
                });
                if (seen[0] == before) {
                    return; // an empty training set: PreciseStats says there was no batch
                }
            }
        };
    }
}

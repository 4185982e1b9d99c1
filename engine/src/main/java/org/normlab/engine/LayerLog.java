package org.normlab.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.normlab.instruments.BatchNoise;
import org.normlab.instruments.LayerProbes;
import org.normlab.instruments.LayerSample;
import org.normlab.instruments.NormLayer;
import org.normlab.instruments.NormLayers;

/**
 * log.layers: the trial's {@code layers.csv}, one row per norm layer with running statistics
 * and sampled step (see RESULTS-FORMAT.md). Every {@code every_steps} steps (steps 0, K, 2K, ...
 * counted as steps done before the sampled one) the probes are armed around that one training
 * step; nothing is installed on the steps between, and a sampled step trains exactly as it would
 * unsampled (see {@link LayerProbes}). The file is rewritten whole and atomically
 * after every epoch and at the end, as metrics.csv is, so it is never torn: a crash loses at most
 * the current epoch's rows.
 *
 * <p>Columns: {@link #COLUMNS}, then {@link #BATCH_NOISE} with {@link Plan#batchNoise()} (measured
 * before the step, see {@link BatchNoise}; each sampled step then also gets a row of layer
 * {@link #LOGITS}), then any value a plugin's {@code LayerProbe} reports beyond the gate columns,
 * named as the plugin names it, in the order first seen, empty for layers without it.
 */
public final class LayerLog implements StepListener, EpochListener {

    /** The columns every layers.csv has, in this order. */
    public static final List<String> COLUMNS = List.of("step", "epoch", "layer", "norm", "channels",
            "mean_dev", "std_logratio", "gate_mean", "gate_std", "gate_min", "gate_max");

    /** The column log.layers.batch_noise adds, after {@link #COLUMNS} and before a plugin's own. */
    public static final String BATCH_NOISE = "batch_noise";

    /** The {@code layer} of the row that holds batch_noise at the network's output. */
    public static final String LOGITS = "logits";

    /**
     * log.layers as plain values.
     *
     * @param everySteps sample every that many steps; 0 = off
     * @param normalizationBatch the samples each layer normalizes together (a ghost wrapper's
     *     size), 0 for the whole batch
     * @param batchNoise whether the sampled steps also measure batch noise ({@link BatchNoise})
     * @param normOf the norm name that built a layer (the trial's norm, or bn for plain-BN shortcuts)
     */
    public record Plan(int everySteps, int normalizationBatch, boolean batchNoise, Function<Block, String> normOf) {
        public static final Plan OFF = new Plan(0, 0, false, b -> "?");

        public Plan(int everySteps, int normalizationBatch, Function<Block, String> normOf) {
            this(everySteps, normalizationBatch, false, normOf);
        }

        public boolean enabled() {
            return everySteps > 0;
        }
    }

    /** Where batch_noise's other images (C) come from: {@link OtherImages#from}, or a benchmark's own. */
    @FunctionalInterface
    public interface OtherImages {
        /**
         * At least {@code count} training images that are not in batch {@code batch} of {@code
         * epoch}, owned by {@code manager}; null when there are none.
         */
        NDArray images(NDManager manager, int epoch, int batch, long count);

        /**
         * The training data's own batches: batch (b + ⌊nb/2⌋) mod nb of the same epoch (nb
         * batches per epoch, b the step's), or the next one after it (skipping b) that holds
         * {@code count} images; its first {@code count} images are C. Within an epoch every
         * image is in one batch only, so C never shares an image with the step's batch; the
         * choice depends on (epoch, b) alone, so a rerun or a resumed run takes the same images
         * with the same augmentation.
         */
        static OtherImages from(BatchSource train) {
            return (manager, epoch, batch, count) -> {
                int nb = train.batches();
                for (int k = 0; k < nb; k++) {
                    int other = (batch + nb / 2 + k) % nb;
                    if (other == batch) {
                        continue;
                    }
                    NDArray x = train.images(manager, epoch, other);
                    if (x.getShape().get(0) >= count) {
                        return x;
                    }
                    x.close();
                }
                return null;
            };
        }
    }

    private static final Set<String> NOTED = ConcurrentHashMap.newKeySet();

    private final Plan plan;
    private final Block model;
    private final List<NormLayer> layers;
    private final List<String> norms = new ArrayList<>();
    private final LayerCsv csv;
    private final NoiseSampler noiseSampler;
    private LayerProbes armed;
    private BatchNoise.Values noise;
    private boolean sampled;

    /**
     * @param model the initialized model
     * @param file where layers.csv goes
     * @param normName the trial's norm, for the note when it has no layer to sample
     * @param note where that one-line note goes
     */
    public LayerLog(Plan plan, Block model, Path file, String normName, Consumer<String> note) {
        this(plan, model, file, normName, note, null);
    }

    /**
     * @param others the other images batch_noise needs (with {@link Plan#batchNoise()}; else unused)
     */
    public LayerLog(Plan plan, Block model, Path file, String normName, Consumer<String> note, OtherImages others) {
        if (plan.batchNoise() && others == null) {
            throw new IllegalArgumentException("log.layers.batch_noise needs other training images, and none were given");
        }
        this.plan = plan;
        this.model = model;
        this.layers = NormLayers.find(model);
        this.csv = new LayerCsv(file, fixedColumns(plan));
        this.noiseSampler = plan.batchNoise() ? new NoiseSampler(model, layers, others, note) : null;
        for (NormLayer l : layers) {
            norms.add(plan.normOf().apply(l.block()));
        }
        if (layers.isEmpty() && NOTED.add(normName)) {
            note.accept("log.layers: " + normName + " has no norm layer with running statistics, so its layers.csv "
                    + (plan.batchNoise() ? "has only the rows of layer logits (batch_noise)" : "has the header only"));
        }
    }

    /**
     * A resumed trial keeps the rows its layers.csv holds from before the resumed position (the
     * file is written with every resume checkpoint, so it has them all); later rows, sampled
     * after that checkpoint, are dropped and sampled again.
     *
     * @param step the optimizer steps done at the resumed position
     */
    public void resumeAt(long step) throws IOException {
        csv.keepBefore(step);
    }

    @Override
    public void beforeStep(long step, int epoch) {
        beforeStep(step, epoch, -1, null);
    }

    /** On a sampled step: batch_noise first (when on), then the probes are armed for the step itself. */
    @Override
    public void beforeStep(long step, int epoch, int batch, NDArray x) {
        if (step % plan.everySteps() != 0) {
            return;
        }
        sampled = true;
        if (plan.batchNoise()) {
            noise = noiseSampler.measure(step, epoch, batch, x);
        }
        if (!layers.isEmpty()) {
            armed = LayerProbes.arm(layers, plan.normalizationBatch());
        }
    }

    @Override
    public void afterStep(long step, int epoch) {
        if (!sampled) {
            return;
        }
        try {
            if (armed != null) {
                for (LayerSample s : armed.samples()) {
                    Map<String, Object> row = LayerCsv.row(step, epoch, s.layer().index(), norms.get(s.layer().index()), s.channels());
                    LayerCsv.putFinite(row, "mean_dev", s.meanDev());
                    LayerCsv.putFinite(row, "std_logratio", s.stdLogRatio());
                    if (noise != null) {
                        row.put(BATCH_NOISE, noise.perLayer()[s.layer().index()]);
                    }
                    row.putAll(s.extra());
                    csv.add(row);
                }
            }
            if (plan.batchNoise()) {
                Map<String, Object> row = LayerCsv.row(step, epoch, LOGITS, plan.normOf().apply(model), noise == null ? null : noise.classes());
                if (noise != null) {
                    row.put(BATCH_NOISE, noise.logits());
                }
                csv.add(row);
            }
        } finally {
            if (armed != null) {
                armed.close();
            }
            armed = null;
            noise = null;
            sampled = false;
        }
    }

    /** COLUMNS, then batch_noise when it is measured: the columns before a plugin's own. */
    private static List<String> fixedColumns(Plan plan) {
        if (!plan.batchNoise()) {
            return COLUMNS;
        }
        List<String> fixed = new ArrayList<>(COLUMNS);
        fixed.add(BATCH_NOISE);
        return fixed;
    }

    @Override
    public void onEpoch(EpochMetrics metrics, boolean best) {
        write();
    }

    /** Rewrites layers.csv with every row so far (nothing to do when none came since the last write). */
    public void write() {
        csv.write();
    }
}

package org.normlab.experiments.train;

import ai.djl.nn.Block;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import com.fasterxml.jackson.databind.MappingIterator;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.normlab.instruments.LayerProbes;
import org.normlab.instruments.LayerSample;
import org.normlab.instruments.NormLayer;
import org.normlab.instruments.NormLayers;
import org.normlab.results.AtomicFiles;

/**
 * log.layers: the trial's {@code layers.csv}, one row per norm layer with running statistics
 * and sampled step (see RESULTS-FORMAT.md). Every {@code every_steps} steps (steps 0, K, 2K, ...
 * counted as steps done before the sampled one) the probes are armed around that one training
 * step; nothing is installed on the steps between, and a sampled step trains exactly as it would
 * unsampled (see {@link LayerProbes}). The file is rewritten whole and atomically
 * after every epoch and at the end, as metrics.csv is, so it is never torn: a crash loses at most
 * the current epoch's rows.
 *
 * <p>Columns: {@link #COLUMNS}, then any value a plugin's {@code LayerProbe} reports beyond the
 * gate columns, named as the plugin names it, in the order first seen, empty for layers without it.
 */
public final class LayerLog implements StepListener, EpochListener {

    /** The columns every layers.csv has, in this order. */
    public static final List<String> COLUMNS = List.of("step", "epoch", "layer", "norm", "channels",
            "mean_dev", "std_logratio", "gate_mean", "gate_std", "gate_min", "gate_max");

    /**
     * log.layers as plain values.
     *
     * @param everySteps sample every that many steps; 0 = off
     * @param normalizationBatch the samples each layer normalizes together (a ghost wrapper's
     *     size), 0 for the whole batch
     * @param normOf the norm name that built a layer (the trial's norm, or bn for plain-BN shortcuts)
     */
    public record Plan(int everySteps, int normalizationBatch, Function<Block, String> normOf) {
        public static final Plan OFF = new Plan(0, 0, b -> "?");

        public boolean enabled() {
            return everySteps > 0;
        }
    }

    private static final Set<String> NOTED = ConcurrentHashMap.newKeySet();

    private final Plan plan;
    private final Path file;
    private final List<NormLayer> layers;
    private final List<String> norms = new ArrayList<>();
    private final List<Map<String, Object>> rows = new ArrayList<>();
    private final Set<String> extraColumns = new LinkedHashSet<>();
    private LayerProbes armed;
    private int written = -1;

    /**
     * @param model the initialized model
     * @param file where layers.csv goes
     * @param normName the trial's norm, for the note when it has no layer to sample
     * @param note where that one-line note goes
     */
    public LayerLog(Plan plan, Block model, Path file, String normName, Consumer<String> note) {
        this.plan = plan;
        this.file = file;
        this.layers = NormLayers.find(model);
        for (NormLayer l : layers) {
            norms.add(plan.normOf().apply(l.block()));
        }
        if (layers.isEmpty() && NOTED.add(normName)) {
            note.accept("log.layers: " + normName + " has no norm layer with running statistics, so its layers.csv "
                    + "has the header only");
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
        if (!Files.exists(file)) {
            return;
        }
        CsvMapper csv = new CsvMapper();
        CsvSchema header = CsvSchema.emptySchema().withHeader();
        try (MappingIterator<Map<String, String>> it = csv.readerForMapOf(String.class).with(header).readValues(file.toFile())) {
            CsvSchema read = (CsvSchema) it.getParserSchema();
            read.forEach(c -> {
                if (!COLUMNS.contains(c.getName())) {
                    extraColumns.add(c.getName());
                }
            });
            while (it.hasNextValue()) {
                Map<String, String> row = it.nextValue();
                if (Long.parseLong(row.get("step")) < step) {
                    row.values().removeIf(String::isEmpty); // empty cells are a layer without that value
                    rows.add(new LinkedHashMap<>(row));
                }
            }
        }
    }

    @Override
    public void beforeStep(long step, int epoch) {
        if (!layers.isEmpty() && step % plan.everySteps() == 0) {
            armed = LayerProbes.arm(layers, plan.normalizationBatch());
        }
    }

    @Override
    public void afterStep(long step, int epoch) {
        if (armed == null) {
            return;
        }
        try {
            for (LayerSample s : armed.samples()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("step", step);
                row.put("epoch", epoch + 1);
                row.put("layer", s.layer().index());
                row.put("norm", norms.get(s.layer().index()));
                row.put("channels", s.channels());
                // NaN: the layer's step keeps no such running statistic; the cell stays empty.
                putFinite(row, "mean_dev", s.meanDev());
                putFinite(row, "std_logratio", s.stdLogRatio());
                s.extra().forEach((k, v) -> {
                    row.put(k, v);
                    if (!COLUMNS.contains(k)) {
                        extraColumns.add(k);
                    }
                });
                rows.add(row);
            }
        } finally {
            armed.close();
            armed = null;
        }
    }

    private static void putFinite(Map<String, Object> row, String column, double value) {
        if (!Double.isNaN(value)) {
            row.put(column, value);
        }
    }

    @Override
    public void onEpoch(EpochMetrics metrics, boolean best) {
        write();
    }

    /** Rewrites layers.csv with every row so far (nothing to do when none came since the last write). */
    public void write() {
        if (written == rows.size()) {
            return;
        }
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
        COLUMNS.forEach(schema::addColumn);
        extraColumns.forEach(schema::addColumn);
        try {
            AtomicFiles.write(file, new CsvMapper().writer(schema.build()).writeValueAsBytes(rows));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        written = rows.size();
    }
}

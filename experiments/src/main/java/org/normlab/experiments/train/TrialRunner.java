package org.normlab.experiments.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.normlab.experiments.config.Trial;
import org.normlab.experiments.config.TrialConfig;
import org.normlab.results.AtomicFiles;
import org.normlab.results.ResultStore;
import org.normlab.results.TrialResult;
import org.normlab.results.TrialStatus;
import org.normlab.norm.NormFactory;

/**
 * Runs one trial end to end: seeds the engine, loads data, builds and trains the model, streams
 * metrics and checkpoints to the trial's folder, and writes {@code result.json} last. A trial
 * that throws becomes {@code failed}, one whose loss is not finite {@code diverged}.
 */
public final class TrialRunner {

    private final String sweepName;
    private final Trial trial;
    private final ResultStore store;
    private final Device device;
    private final DataFactory dataFactory;
    private final ModelFactory modelFactory;
    private final NormFactory bodyNorm;
    private final NormFactory shortcutNorm;
    private final Progress progress;

    @Inject
    TrialRunner(
            @Named("sweep") String sweepName,
            Trial trial,
            ResultStore store,
            Device device,
            DataFactory dataFactory,
            ModelFactory modelFactory,
            @Named("body") NormFactory bodyNorm,
            @Named("shortcut") NormFactory shortcutNorm,
            Progress progress) {
        this.sweepName = sweepName;
        this.trial = trial;
        this.store = store;
        this.device = device;
        this.dataFactory = dataFactory;
        this.modelFactory = modelFactory;
        this.bodyNorm = bodyNorm;
        this.shortcutNorm = shortcutNorm;
        this.progress = progress;
    }

    public TrialResult run() throws IOException {
        long start = System.nanoTime();
        store.writeConfig(trial.id(), trial.resolved());
        TrialConfig config = trial.config();
        List<TrialResult.Epoch> history = new ArrayList<>();
        Long params = null;
        TrialResult result;
        try (NDManager manager = NDManager.newBaseManager(device)) {
            Engine.getInstance().setRandomSeed((int) trial.seed());
            TrialData data = dataFactory.load(config.data(), trial.seed());
            Block model = modelFactory.build(config.model(), data.classes(), data.channels(), bodyNorm, shortcutNorm);
            model.initialize(manager, DataType.FLOAT32, new Shape(1, data.channels(), data.height(), data.width()));
            params = trainableParameters(model);
            TrainingListener recorder = new Recorder(model, history);
            Trainer trainer = new Trainer(model, manager, new CrossEntropy(config.loss().labelSmoothing()),
                    new LrSchedule(config.schedule().name(), config.optimizer().lr(), config.schedule().milestones(),
                            config.schedule().gamma(), config.schedule().warmupEpochs(), config.epochs()),
                    config.optimizer().momentum(), config.optimizer().weightDecay(), config.optimizer().nesterov(),
                    both(progress, recorder));
            Trainer.Outcome outcome = trainer.fit(data.train(), data.val(), config.epochs());
            TrialStatus status = outcome.divergedEpoch() == null ? TrialStatus.COMPLETED : TrialStatus.DIVERGED;
            result = result(status, history, params, outcome.divergedEpoch(), null, start);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (RuntimeException | Error e) {
            if (e instanceof OutOfMemoryError) {
                throw e;
            }
            result = result(TrialStatus.FAILED, history, params, null, describe(e), start);
        }
        store.writeResult(result);
        return result;
    }

    private static String describe(Throwable e) {
        String message = e.getMessage() == null ? "" : ": " + e.getMessage();
        return e.getClass().getSimpleName() + message;
    }

    private TrialResult result(
            TrialStatus status, List<TrialResult.Epoch> history, Long params, Integer diverged, String error, long start) {
        double wall = (System.nanoTime() - start) / 1e9;
        TrialResult.Metrics metrics = null;
        if (!history.isEmpty()) {
            TrialResult.Epoch last = history.get(history.size() - 1);
            TrialResult.Epoch best = history.stream().max((a, b) -> Double.compare(a.valAcc(), b.valAcc())).get();
            double trainImgS = history.stream().mapToDouble(TrialResult.Epoch::trainImgS).average().orElse(0);
            metrics = new TrialResult.Metrics(last.valAcc(), best.valAcc(), best.epoch(), last.trainAcc(),
                    last.valLoss(), params, trainImgS, wall, history.size(),
                    last.valAccByComponent().isEmpty() ? null : last.valAccByComponent());
        } else if (params != null) {
            metrics = new TrialResult.Metrics(null, null, null, null, null, params, null, wall, 0, null);
        }
        JsonNode config = ResultStore.JSON.valueToTree(trial.resolved());
        return new TrialResult(trial.id(), sweepName, status, trial.seed(), trial.swept(), config, metrics,
                List.copyOf(history), diverged, error, device.toString(), Memory.residentMegabytes(), Instant.now().toString());
    }

    static long trainableParameters(Block model) {
        long n = 0;
        for (Pair<String, Parameter> p : model.getParameters()) {
            if (p.getValue().requiresGradient()) {
                n += p.getValue().getArray().size();
            }
        }
        return n;
    }

    private static TrainingListener both(TrainingListener a, TrainingListener b) {
        return new TrainingListener() {
            @Override
            public void onBatch(int epoch, int done, int total, double loss) {
                a.onBatch(epoch, done, total, loss);
                b.onBatch(epoch, done, total, loss);
            }

            @Override
            public void onEpoch(EpochMetrics m, boolean best) {
                a.onEpoch(m, best);
                b.onEpoch(m, best);
            }
        };
    }

    /** Keeps the history, metrics.csv and the checkpoints up to date after every epoch. */
    private final class Recorder implements TrainingListener {
        private final Block model;
        private final List<TrialResult.Epoch> history;

        Recorder(Block model, List<TrialResult.Epoch> history) {
            this.model = model;
            this.history = history;
        }

        @Override
        public void onEpoch(EpochMetrics m, boolean best) {
            history.add(new TrialResult.Epoch(m.epoch(), m.lr(), m.trainLoss(), m.trainAcc(), m.valLoss(), m.valAcc(),
                    m.trainImgPerSec(), m.epochSeconds(), m.valAccByComponent()));
            try {
                store.writeMetrics(trial.id(), history);
                if (trial.config().checkpoints()) {
                    Path dir = store.trialDir(trial.id()).resolve("checkpoints");
                    byte[] params = parameters(model);
                    AtomicFiles.write(dir.resolve("final.params"), params);
                    if (best) {
                        AtomicFiles.write(dir.resolve("best.params"), params);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private byte[] parameters(Block model) throws IOException {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                model.saveParameters(out);
            }
            return bytes.toByteArray();
        }
    }
}

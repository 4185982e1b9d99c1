package org.normlab.experiments.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.normlab.results.AtomicFiles;
import org.normlab.results.FileNames;
import org.normlab.results.ResultStore;
import org.normlab.results.TrialResult;
import org.normlab.results.TrialStatus;

/**
 * Runs one trial end to end: seeds the engine, loads data, builds and trains the model, streams
 * metrics and checkpoints to the trial's folder, and writes {@code result.json} last. A trial
 * that throws becomes {@code failed}, one whose loss is not finite {@code diverged}.
 */
public final class TrialRunner {

    private final String sweepName;
    private final TrialIdentity trial;
    private final ResultStore store;
    private final Device device;
    private final TrialInputs inputs;
    private final TrainingPlan plan;
    private final Set<EpochListener> listeners;
    private final EvalPlan evalPlan;
    private final LayerLog.Plan layersPlan;
    private final Progress progress;

    @Inject
    TrialRunner(
            @Named("sweep") String sweepName,
            TrialIdentity trial,
            ResultStore store,
            Device device,
            TrialInputs inputs,
            TrainingPlan plan,
            Set<EpochListener> listeners,
            EvalPlan evalPlan,
            LayerLog.Plan layersPlan,
            Progress progress) {
        this.evalPlan = evalPlan;
        this.layersPlan = layersPlan;
        this.progress = progress;
        this.sweepName = sweepName;
        this.trial = trial;
        this.store = store;
        this.device = device;
        this.inputs = inputs;
        this.plan = plan;
        this.listeners = listeners;
    }

    /** The eval.stats metrics of the run in progress (precise, batch). */
    private Map<String, Double> finalEvals = Map.of();

    public TrialResult run() throws IOException {
        long start = System.nanoTime();
        store.writeConfig(trial.id(), trial.settings());
        List<TrialResult.Epoch> history = new ArrayList<>();
        Long params = null;
        finalEvals = Map.of();
        TrialResult result;
        try (NDManager manager = NDManager.newBaseManager(device)) {
            Engine.getInstance().setRandomSeed((int) trial.seed());
            TrialData data = inputs.data();
            Block model = inputs.model(data);
            model.initialize(manager, DataType.FLOAT32, new Shape(1, data.channels(), data.height(), data.width()));
            params = trainableParameters(model);
            List<EpochListener> all = new ArrayList<>(listeners);
            all.add(new Recorder(model, history));
            String normName = trial.settings().path("norm").path("name").asText();
            LayerLog layers = null;
            if (layersPlan.enabled()) {
                layers = new LayerLog(layersPlan, model, store.trialDir(trial.id()).resolve(FileNames.LAYERS),
                        normName, progress::note);
                all.add(layers);
            }
            PopulationEval finalEval = new PopulationEval(model, manager, data.train(), data.val(), evalPlan,
                    plan.epochs(), normName, progress::note);
            TrainingLoop.Outcome outcome = new TrainingLoop(model, manager, plan, EpochListener.all(all),
                    layers == null ? StepListener.NONE : layers, finalEval).fit(data.train(), data.val());
            if (layers != null) {
                layers.write();
            }
            finalEvals = outcome.finalEvals();
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
                    last.valAccByComponent().isEmpty() ? null : last.valAccByComponent(),
                    status == TrialStatus.COMPLETED && evalPlan.writesEma() ? last.valAcc() : null,
                    finalEvals.get("final_val_acc_precise"), finalEvals.get("final_val_acc_batch"));
        } else if (params != null) {
            metrics = new TrialResult.Metrics(null, null, null, null, null, params, null, wall, 0, null, null, null, null);
        }
        return new TrialResult(trial.id(), sweepName, status, trial.seed(), trial.swept(), trial.settings(), metrics,
                List.copyOf(history), diverged, error, device.toString(), Memory.residentMegabytes(), Instant.now().toString(),
                trial.provenance());
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

    /** Keeps the history, metrics.csv and the checkpoints up to date after every epoch. */
    private final class Recorder implements EpochListener {
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
                if (plan.checkpoints()) {
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

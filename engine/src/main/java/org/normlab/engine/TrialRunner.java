package org.normlab.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import jakarta.inject.Inject;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.normlab.models.CpuConvolutions;
import org.normlab.results.ResultSchema;
import org.normlab.results.AtomicFiles;
import org.normlab.results.Provenance;
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

    private final TrialIdentity trial;
    private final ResultStore store;
    private final Device device;
    private final TrialInputs inputs;
    private final TrainingPlan plan;
    private final Set<EpochListener> listeners;
    private final EvalPlan evalPlan;
    private final LayerLog.Plan layersPlan;
    private final Progress progress;
    private final Stop stop;

    /** @param stop the process's stop request (SIGTERM, SIGINT), honoured between steps */
    @Inject
    TrialRunner(
            TrialIdentity trial,
            ResultStore store,
            Device device,
            TrialInputs inputs,
            TrainingPlan plan,
            Set<EpochListener> listeners,
            EvalPlan evalPlan,
            LayerLog.Plan layersPlan,
            Progress progress,
            Stop stop) {
        this.stop = stop;
        this.evalPlan = evalPlan;
        this.layersPlan = layersPlan;
        this.progress = progress;
        this.trial = trial;
        this.store = store;
        this.device = device;
        this.inputs = inputs;
        this.plan = plan;
        this.listeners = listeners;
    }

    /** The eval.stats metrics of the run in progress (precise, batch). */
    private Map<String, Double> finalEvals = Map.of();

    /**
     * @throws Stopped when the run was asked to stop; the trial's resume checkpoint is saved and
     *     no result written
     */
    public TrialResult run() throws IOException {
        long start = System.nanoTime();
        store.writeConfig(trial.id(), trial.settings());
        Path resumeFile = store.trialDir(trial.id()).resolve("checkpoints").resolve(ResumeCheckpoint.FILE);
        List<TrialResult.Epoch> history = new ArrayList<>();
        Long params = null;
        finalEvals = Map.of();
        TrialResult result;
        try (NDManager manager = NDManager.newBaseManager(device)) {
            Engine.getInstance().setRandomSeed((int) trial.seed());
            TrialData data = inputs.data();
            Block model = inputs.model(data);
            model.initialize(manager, DataType.FLOAT32, new Shape(1, data.channels(), data.height(), data.width()));
            if (Device.Type.CPU.equals(device.getDeviceType())) {
                CpuConvolutions.check(model); // the sweep validator refuses these first; a worker checks again
            }
            params = trainableParameters(model);
            ResumeCheckpoint resume = usableCheckpoint(resumeFile);
            if (resume != null) {
                history.addAll(resume.history());
            }
            List<EpochListener> all = new ArrayList<>(listeners);
            all.add(new Recorder(model, history));
            String normName = trial.settings().path("norm").path("name").asText();
            LayerLog layers = layersPlan.enabled()
                    ? new LayerLog(layersPlan, model, store.trialDir(trial.id()).resolve(FileNames.LAYERS), normName, progress::note,
                            LayerLog.OtherImages.from(data.train()))
                    : null;
            if (layers != null) {
                if (resume != null) {
                    layers.resumeAt(resume.snapshot().position().step());
                }
                all.add(layers);
            }
            PopulationEval finalEval = new PopulationEval(model, manager, data.train(), data.val(), evalPlan,
                    plan.epochs(), normName, progress::note);
            TrainingLoop.Outcome outcome = new TrainingLoop(model, manager, plan, EpochListener.all(all),
                    snapshot -> save(resumeFile, history, layers, snapshot), stop, trial.seed(),
                    layers == null ? StepListener.NONE : layers, finalEval)
                    .fit(data.train(), data.val(), resume == null ? null : resume.snapshot());
            if (layers != null) {
                layers.write();
            }
            finalEvals = outcome.finalEvals();
            TrialStatus status = outcome.divergedEpoch() == null ? TrialStatus.COMPLETED : TrialStatus.DIVERGED;
            result = result(status, history, params, outcome, null, start);
        } catch (Stopped e) {
            throw e;
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (RuntimeException | Error e) {
            if (e instanceof OutOfMemoryError) {
                throw e;
            }
            result = result(TrialStatus.FAILED, history, params, null, describe(e), start);
        }
        store.writeResult(result);
        Files.deleteIfExists(resumeFile); // a finished trial is not resumed; a failed one starts again
        return result;
    }

    /**
     * What a resume checkpoint must match to be used: the trial, the hash of its resolved
     * settings, and (compared by {@link Provenance#differences}) the code it ran with.
     */
    ResumeCheckpoint.Identity resumeIdentity() {
        Map<String, String> key = new LinkedHashMap<>();
        key.put("trial_id", trial.id());
        key.put("config_sha256", sha256(trial.settings().toString()));
        return new ResumeCheckpoint.Identity(key, trial.provenance());
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The trial's resume checkpoint when there is one that belongs to it; otherwise one line says why not. */
    private ResumeCheckpoint usableCheckpoint(Path file) {
        if (!Files.exists(file)) {
            return null;
        }
        String where = store.dir().relativize(file).toString();
        try {
            ResumeCheckpoint.Identity saved = ResumeCheckpoint.readIdentity(file);
            ResumeCheckpoint.Identity now = resumeIdentity();
            for (Map.Entry<String, String> e : now.key().entrySet()) {
                if (!e.getValue().equals(saved.key().get(e.getKey()))) {
                    progress.line(String.format("  trial %s: %s is from another run (%s %s, now %s), starting from scratch",
                            trial.id(), where, e.getKey(), saved.key().get(e.getKey()), e.getValue()));
                    return null;
                }
            }
            List<String> code = Provenance.differences(saved.provenance(), now.provenance());
            if (!code.isEmpty()) {
                progress.line(String.format("  trial %s: %s was written by other code (%s), starting from scratch",
                        trial.id(), where, String.join("; ", code)));
                return null;
            }
            ResumeCheckpoint c = ResumeCheckpoint.read(file);
            Snapshot.Position p = c.snapshot().position();
            progress.line(String.format("  trial %s: resuming from %s (%s)", trial.id(), where, describe(p)));
            return c;
        } catch (IOException | RuntimeException e) {
            progress.line(String.format("  trial %s: %s cannot be read (%s), starting from scratch", trial.id(), where, describe(e)));
            return null;
        }
    }

    /** Writes layers.csv first, so that it holds every row sampled before the checkpoint's position. */
    private String save(Path file, List<TrialResult.Epoch> history, LayerLog layers, Snapshot snapshot) {
        if (layers != null) {
            layers.write();
        }
        try {
            new ResumeCheckpoint(resumeIdentity(), List.copyOf(history), snapshot).write(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "trial " + trial.id() + " saved " + describe(snapshot.position()) + " to " + file;
    }

    private static String describe(Snapshot.Position p) {
        return p.batch() == 0 ? (p.epoch() == 0 ? "before its first step" : "after epoch " + p.epoch())
                : "at epoch " + (p.epoch() + 1) + ", batch " + p.batch() + ", step " + p.step();
    }

    private static String describe(Throwable e) {
        String message = e.getMessage() == null ? "" : ": " + e.getMessage();
        return e.getClass().getSimpleName() + message;
    }

    /** @param outcome how the loop ended, null when it failed */
    private TrialResult result(TrialStatus status, List<TrialResult.Epoch> history, Long params,
            TrainingLoop.Outcome outcome, String error, long start) {
        double wall = (System.nanoTime() - start) / 1e9;
        Integer diverged = outcome == null ? null : outcome.divergedEpoch();
        Long steps = outcome != null ? Long.valueOf(outcome.steps())
                : history.isEmpty() ? null : history.get(history.size() - 1).step();
        int epochs = plan.steps() != null && outcome != null ? outcome.epochsCompleted() : history.size();
        TrialResult.Metrics metrics = null;
        if (!history.isEmpty()) {
            TrialResult.Epoch last = history.get(history.size() - 1);
            TrialResult.Epoch best = history.stream().max((a, b) -> Double.compare(a.valAcc(), b.valAcc())).get();
            double trainImgS = history.stream().mapToDouble(TrialResult.Epoch::trainImgS).average().orElse(0);
            metrics = new TrialResult.Metrics(last.valAcc(), best.valAcc(), best.epoch(), last.trainAcc(),
                    last.valLoss(), params, trainImgS, wall, epochs,
                    last.valAccByComponent().isEmpty() ? null : last.valAccByComponent(), steps,
                    status == TrialStatus.COMPLETED && evalPlan.writesEma() ? last.valAcc() : null,
                    finalEvals.get(ResultSchema.FINAL_VAL_ACC_PRECISE), finalEvals.get(ResultSchema.FINAL_VAL_ACC_BATCH));
        } else if (params != null) {
            metrics = new TrialResult.Metrics(null, null, null, null, null, params, null, wall, 0, null, steps, null, null, null);
        }
        return new TrialResult(trial.id(), trial.sweep(), status, trial.seed(), trial.swept(), trial.settings(), metrics,
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
            history.add(new TrialResult.Epoch(m.epoch(), m.step(), m.lr(), m.trainLoss(), m.trainAcc(), m.valLoss(), m.valAcc(),
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

package org.normlab.experiments.wiring;

import ai.djl.Device;
import ai.djl.nn.Block;
import com.google.inject.AbstractModule;
import org.normlab.engine.assembly.TrialProvenance;
import org.normlab.engine.assembly.Devices;
import org.normlab.engine.assembly.NormFactories;
import org.normlab.engine.assembly.DataFactory;
import org.normlab.engine.assembly.ModelFactory;
import com.google.inject.Provides;
import com.google.inject.name.Named;
import org.normlab.config.Trial;
import org.normlab.config.TrialConfig;
import java.util.IdentityHashMap;
import java.util.Map;
import org.normlab.engine.EvalPlan;
import org.normlab.engine.LayerLog;
import org.normlab.engine.LrSchedule;
import org.normlab.engine.TrainingPlan;
import org.normlab.engine.TrialData;
import org.normlab.engine.TrialIdentity;
import org.normlab.engine.TrialInputs;
import org.normlab.instruments.NormLayers;
import org.normlab.norm.NormFactory;
import org.normlab.norm.NormRegistry;

/**
 * What one trial is made of, built from its config records here so that the training code sees
 * plain values only: its identity, device, norm factories, data and model ({@link TrialInputs}),
 * and its {@link TrainingPlan} (optimizer, schedule, loss).
 */
public final class TrialModule extends AbstractModule {

    private final Trial trial;
    /** Every norm layer the trial's factories built, with the norm name that built it (for layers.csv). */
    private final Map<Block, String> builtNorms = java.util.Collections.synchronizedMap(new IdentityHashMap<>());

    public TrialModule(Trial trial) {
        this.trial = trial;
    }

    @Provides
    TrialIdentity identity(NormRegistry registry) {
        return new TrialIdentity(trial.id(), trial.seed(), trial.swept(), trial.resolved(),
                TrialProvenance.of(registry, trial.config()));
    }

    @Provides
    Device device(@Named("deviceOverride") String override) {
        return Devices.resolve(override.isEmpty() ? trial.config().device() : override);
    }

    @Provides
    @Named("body")
    NormFactory body(NormRegistry registry) {
        return recording(NormFactories.body(registry, trial.config(), trial.seed()), trial.config().norm().name());
    }

    @Provides
    @Named("shortcut")
    NormFactory shortcut(NormRegistry registry, @Named("body") NormFactory body) {
        NormFactory shortcut = NormFactories.shortcut(registry, trial.config().model().shortcutNorm(), body);
        return shortcut == body ? body : recording(shortcut, "bn");
    }

    /** The factory, remembering which norm built each of its norm layers. */
    private NormFactory recording(NormFactory factory, String name) {
        return new NormFactory() {
            @Override
            public Block create(int channels) {
                return remember(factory.create(channels));
            }

            @Override
            public Block create(int channels, boolean applyActivation) {
                return remember(factory.create(channels, applyActivation));
            }

            @Override
            public boolean carriesActivation() {
                return factory.carriesActivation();
            }

            private Block remember(Block block) {
                NormLayers.find(block).forEach(l -> builtNorms.putIfAbsent(l.block(), name));
                return block;
            }
        };
    }

    @Provides
    TrialInputs inputs(DataFactory data, ModelFactory models,
            @Named("body") NormFactory body, @Named("shortcut") NormFactory shortcut) {
        TrialConfig c = trial.config();
        return new TrialInputs() {
            @Override
            public TrialData data() {
                return data.load(c.data(), trial.seed());
            }

            @Override
            public Block model(TrialData d) {
                return models.build(c.model(), d.classes(), d.channels(), body, shortcut);
            }
        };
    }

    @Provides
    TrainingPlan plan() {
        TrialConfig c = trial.config();
        return new TrainingPlan(c.epochs(), c.steps(), c.evalEverySteps(), schedule(c), c.optimizer().momentum(), c.optimizer().weightDecay(),
                c.optimizer().nesterov(), c.loss().labelSmoothing(), c.checkpoints(), c.checkpoint().everySteps());
    }

    /** eval.stats; the batch-statistics eval data is the trial's val split at eval.batch_size. */
    @Provides
    EvalPlan evalPlan(DataFactory data) {
        TrialConfig c = trial.config();
        TrialConfig.EvalConfig e = c.eval();
        int batch = e.batchSizeOr(c.data().batchSize());
        TrialConfig.DataConfig d = c.data();
        TrialConfig.DataConfig atEvalBatch = new TrialConfig.DataConfig(d.name(), d.path(), d.batchSize(), batch,
                d.trainSubset(), d.valSubset(), d.channels(), d.size(), d.synthetic(), d.mix(), d.augment(), d.normalize());
        return new EvalPlan(e.stats(), e.preciseImages(), () -> data.load(atEvalBatch, trial.seed()).val());
    }

    /** log.layers; under the ghost attack each layer's normalization batch is the ghost size. */
    @Provides
    LayerLog.Plan layersPlan(NormRegistry registry) {
        TrialConfig c = trial.config();
        int normalizationBatch = 0;
        if ("ghost".equals(c.attack().name())) {
            Object size = c.attack().options().get("size");
            if (size == null) {
                size = registry.provider("ghost").options().stream()
                        .filter(o -> o.name().equals("size")).findFirst().orElseThrow().defaultValue();
            }
            normalizationBatch = ((Number) size).intValue();
        }
        String fallback = c.norm().name();
        return new LayerLog.Plan(c.log().layers().everySteps(), normalizationBatch, c.log().layers().batchNoise(),
                block -> builtNorms.getOrDefault(block, fallback));
    }

    /** The schedule from the lr used: optimizer.lr scaled by optimizer.lr_scaling for data.batch_size. */
    static LrSchedule schedule(TrialConfig c) {
        double lr = c.optimizer().scaledLr(c.data().batchSize());
        TrialConfig.ScheduleConfig s = c.schedule();
        LrSchedule after = switch (s.name()) {
            case "multistep" -> LrSchedule.multistep(lr, s.milestones(), s.gamma());
            // with a steps budget the schedule's unit is the step (the loop asks at(step, 0))
            case "cosine" -> LrSchedule.cosine(lr, s.warmupEpochs(), c.steps() != null ? c.steps() : c.epochs());
            default -> LrSchedule.constant(lr);
        };
        return after.afterWarmup(lr, s.warmupEpochs());
    }
}

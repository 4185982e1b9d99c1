package org.normlab.experiments.wiring;

import ai.djl.Device;
import ai.djl.nn.Block;
import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.name.Named;
import org.normlab.experiments.config.Trial;
import org.normlab.experiments.config.TrialConfig;
import org.normlab.experiments.train.LrSchedule;
import org.normlab.experiments.train.TrainingPlan;
import org.normlab.experiments.train.TrialData;
import org.normlab.experiments.train.TrialIdentity;
import org.normlab.experiments.train.TrialInputs;
import org.normlab.norm.NormFactory;
import org.normlab.norm.NormRegistry;

/**
 * What one trial is made of, built from its config records here so that the training code sees
 * plain values only: its identity, device, norm factories, data and model ({@link TrialInputs}),
 * and its {@link TrainingPlan} (optimizer, schedule, loss).
 */
public final class TrialModule extends AbstractModule {

    private final Trial trial;

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
        return NormFactories.body(registry, trial.config(), trial.seed());
    }

    @Provides
    @Named("shortcut")
    NormFactory shortcut(NormRegistry registry, @Named("body") NormFactory body) {
        return NormFactories.shortcut(registry, trial.config().model().shortcutNorm(), body);
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

    static LrSchedule schedule(TrialConfig c) {
        double lr = c.optimizer().lr();
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

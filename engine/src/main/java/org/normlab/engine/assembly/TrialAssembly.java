package org.normlab.engine.assembly;

import ai.djl.nn.Block;
import com.google.inject.Inject;
import org.normlab.config.LogConfig;
import org.normlab.config.TrialConfig;
import org.normlab.engine.EvalPlan;
import org.normlab.engine.LayerLog;
import org.normlab.engine.LrSchedule;
import org.normlab.engine.TrainingPlan;
import org.normlab.engine.TrialData;
import org.normlab.engine.TrialInputs;
import org.normlab.norm.NormOptions;
import org.normlab.norm.NormProvider;
import org.normlab.norm.NormRegistry;
import org.normlab.results.Provenance;

/**
 * The one place a trial is assembled from its resolved settings: its norm factories, model, data,
 * training, eval and layer-log plans, and provenance. Training (a trial's Guice module), the dry
 * run's speed measurement, the sweep's validator, {@code params} and {@code bench} all build
 * through it, so they build the same network from the same settings; the model families and
 * datasets are those the {@link ModelFactory} and {@link DataFactory} know (plugins' included).
 * It names no norm: what a norm means for the trial (the samples it normalizes together) its
 * provider says.
 */
public final class TrialAssembly {

    private final NormRegistry registry;
    private final ModelFactory models;
    private final DataFactory data;

    @Inject
    public TrialAssembly(NormRegistry registry, ModelFactory models, DataFactory data) {
        this.registry = registry;
        this.models = models;
        this.data = data;
    }

    /** An assembly of norms and models only, for users that bring their own inputs (speed measurement). */
    public static TrialAssembly withoutData(NormRegistry registry, ModelFactory models) {
        return new TrialAssembly(registry, models, null);
    }

    public NormRegistry registry() {
        return registry;
    }

    /**
     * The trial's norm factories: new ones on every call, as each trial needs its own (a factory
     * numbers the layers it makes, and a noise attack seeds each layer's stream with its number).
     *
     * @throws org.normlab.norm.NormConfigException for a norm, attack or shortcut norm that
     *     cannot be built so; its key says which setting
     */
    public TrialNorms norms(TrialConfig c, long seed) {
        return norms(c.norm(), c.attack(), c.model().shortcutNorm(), seed);
    }

    /** {@link #norms(TrialConfig, long)} from the norm settings alone. */
    public TrialNorms norms(TrialConfig.NormConfig norm, TrialConfig.AttackConfig attack, String shortcutNorm, long seed) {
        NormFactories.Choice body = NormFactories.bodyChoice(registry, norm, attack, seed);
        var bodyFactory = registry.factory(body.name(), body.options());
        var shortcut = NormFactories.shortcut(registry, shortcutNorm, bodyFactory);
        NormProvider provider = registry.provider(body.name());
        NormOptions options = registry.validate(body.name(), body.options());
        return new TrialNorms(bodyFactory, norm.name(), shortcut, shortcutNorm,
                batch -> provider.normalizationBatch(options, batch, registry));
    }

    /**
     * A new, uninitialized network of the trial's model settings.
     *
     * @throws IllegalArgumentException for an unknown family or settings it cannot build
     *     ({@link org.normlab.models.ModelSettingException} names the setting)
     */
    public Block model(TrialConfig.ModelConfig model, TrialNorms norms, int classes, int inChannels) {
        return models.build(model, classes, inChannels, norms.body(), norms.shortcut());
    }

    /** What the trial trains on and what it trains, built when the trial starts. */
    public TrialInputs inputs(TrialConfig c, long seed, TrialNorms norms) {
        DataFactory loader = dataFactory();
        return new TrialInputs() {
            @Override
            public TrialData data() {
                return loader.load(c.data(), seed);
            }

            @Override
            public Block model(TrialData d) {
                return TrialAssembly.this.model(c.model(), norms, d.classes(), d.channels());
            }
        };
    }

    /** The loop's length, SGD's settings, the schedule and the loss. */
    public static TrainingPlan trainingPlan(TrialConfig c) {
        TrialConfig.OptimizerConfig o = c.optimizer();
        return new TrainingPlan(c.epochs(), c.steps(), c.evalEverySteps(), schedule(c), o.momentum(), o.weightDecay(),
                o.nesterov(), c.loss().labelSmoothing(), c.checkpoints(), c.checkpoint().everySteps());
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

    /** eval.stats; the batch-statistics eval data is the trial's val split at eval.batch_size. */
    public EvalPlan evalPlan(TrialConfig c, long seed) {
        DataFactory loader = dataFactory();
        TrialConfig.EvalConfig e = c.eval();
        int batch = e.batchSizeOr(c.data().batchSize());
        TrialConfig.DataConfig d = c.data();
        TrialConfig.DataConfig atEvalBatch = new TrialConfig.DataConfig(d.name(), d.path(), d.batchSize(), batch,
                d.trainSubset(), d.valSubset(), d.channels(), d.size(), d.synthetic(), d.mix(), d.augment(), d.normalize());
        return new EvalPlan(e.stats(), e.preciseImages(), () -> loader.load(atEvalBatch, seed).val());
    }

    /**
     * log.layers, with the samples each layer normalizes together as the body's norm declares
     * them (a ghost wrapper's virtual batch) and each layer's norm name from the factory that
     * built it.
     */
    public static LayerLog.Plan layersPlan(TrialConfig c, TrialNorms norms) {
        LogConfig.LayersLogConfig layers = c.log().layers();
        return new LayerLog.Plan(layers.everySteps(), norms.normalizationBatch(c.data().batchSize()), layers.batchNoise(),
                norms::nameOf);
    }

    /** NormLab's version and the sources of the norm providers the trial names. */
    public Provenance provenance(TrialConfig c) {
        return TrialProvenance.of(registry, c);
    }

    private DataFactory dataFactory() {
        if (data == null) {
            throw new IllegalStateException("this TrialAssembly was made without a DataFactory");
        }
        return data;
    }
}

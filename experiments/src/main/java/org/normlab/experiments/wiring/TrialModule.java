package org.normlab.experiments.wiring;

import ai.djl.Device;
import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import org.normlab.experiments.sweep.TrialLauncher;
import com.google.inject.Singleton;
import org.normlab.config.Trial;
import org.normlab.engine.EvalPlan;
import org.normlab.engine.LayerLog;
import org.normlab.engine.TrainingPlan;
import org.normlab.engine.TrialIdentity;
import org.normlab.engine.TrialInputs;
import org.normlab.engine.assembly.Devices;
import org.normlab.engine.assembly.TrialAssembly;
import org.normlab.engine.assembly.TrialNorms;

/**
 * One trial's bindings, a child of {@link RunModule}: what {@link TrialAssembly} makes of the
 * trial's settings (its identity, norm factories, data and model, plans), handed to the training
 * code as plain values, and the device.
 */
public final class TrialModule extends AbstractModule {

    private final Trial trial;

    public TrialModule(Trial trial) {
        this.trial = trial;
    }

    @Provides
    TrialIdentity identity(TrialAssembly assembly, TrialLauncher.RunScope run) {
        return new TrialIdentity(run.sweepName(), trial.id(), trial.seed(), trial.swept(), trial.resolved(), assembly.provenance(trial.config()));
    }

    @Provides
    Device device(TrialLauncher.RunScope run) {
        String override = run.deviceOverride();
        return Devices.resolve(override == null || override.isEmpty() ? trial.config().device() : override);
    }

    /** One set per trial: the model and layers.csv's names come from the same factories. */
    @Provides
    @Singleton
    TrialNorms norms(TrialAssembly assembly) {
        return assembly.norms(trial.config(), trial.seed());
    }

    @Provides
    TrialInputs inputs(TrialAssembly assembly, TrialNorms norms) {
        return assembly.inputs(trial.config(), trial.seed(), norms);
    }

    @Provides
    TrainingPlan plan() {
        return TrialAssembly.trainingPlan(trial.config());
    }

    @Provides
    EvalPlan evalPlan(TrialAssembly assembly) {
        return assembly.evalPlan(trial.config(), trial.seed());
    }

    @Provides
    LayerLog.Plan layersPlan(TrialNorms norms) {
        return TrialAssembly.layersPlan(trial.config(), norms);
    }
}

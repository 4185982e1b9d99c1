package org.normlab.experiments.wiring;

import ai.djl.Device;
import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import jakarta.inject.Named;
import org.normlab.experiments.config.Trial;
import org.normlab.experiments.config.TrialConfig;
import org.normlab.norm.NormFactory;
import org.normlab.norm.NormRegistry;

/** What one trial is made of: its settings, its device and its norm factories. */
public final class TrialModule extends AbstractModule {

    private final Trial trial;

    public TrialModule(Trial trial) {
        this.trial = trial;
    }

    @Override
    protected void configure() {
        bind(Trial.class).toInstance(trial);
        bind(TrialConfig.class).toInstance(trial.config());
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
        return NormFactories.shortcut(registry, trial.config(), body);
    }
}

package org.normlab.experiments.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.Multibinder;
import org.normlab.results.ResultStore;
import org.normlab.engine.EpochListener;
import org.normlab.engine.Progress;
import org.normlab.experiments.sweep.TrialLauncher;

/**
 * One sweep run, a child of {@link CoreModule}: the sweep's name, its result store, the
 * progress display and the device override, made by {@link TrialInjectors}. Each trial gets a
 * child injector with a {@link TrialModule}.
 */
final class RunModule extends AbstractModule {

    private final TrialLauncher.RunScope scope;

    RunModule(TrialLauncher.RunScope scope) {
        this.scope = scope;
    }

    @Override
    protected void configure() {
        bind(TrialLauncher.RunScope.class).toInstance(scope);
        bind(ResultStore.class).toInstance(scope.store());
        bind(Progress.class).toInstance(scope.progress());
        Multibinder.newSetBinder(binder(), EpochListener.class).addBinding().toInstance(scope.progress());
    }
}

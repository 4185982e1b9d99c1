package org.normlab.experiments.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.name.Names;
import org.normlab.results.ResultStore;
import org.normlab.engine.EpochListener;
import org.normlab.engine.Progress;

/**
 * One sweep run, a child of {@link CoreModule}: the sweep's name, its result store, the
 * progress display and the device override. Each trial gets a child injector with a
 * {@link TrialModule}.
 */
public final class RunModule extends AbstractModule {

    private final String sweepName;
    private final ResultStore store;
    private final Progress progress;
    private final String deviceOverride;

    public RunModule(String sweepName, ResultStore store, Progress progress, String deviceOverride) {
        this.sweepName = sweepName;
        this.store = store;
        this.progress = progress;
        this.deviceOverride = deviceOverride == null ? "" : deviceOverride;
    }

    @Override
    protected void configure() {
        bind(String.class).annotatedWith(Names.named("sweep")).toInstance(sweepName);
        bind(String.class).annotatedWith(Names.named("deviceOverride")).toInstance(deviceOverride);
        bind(ResultStore.class).toInstance(store);
        bind(Progress.class).toInstance(progress);
        Multibinder.newSetBinder(binder(), EpochListener.class).addBinding().toInstance(progress);
    }
}

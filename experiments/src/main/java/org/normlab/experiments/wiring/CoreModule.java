package org.normlab.experiments.wiring;

import com.google.inject.AbstractModule;
import org.normlab.experiments.train.DataFactory;
import org.normlab.experiments.train.ModelFactory;
import org.normlab.norm.NormRegistry;

/**
 * The composition root: the norm registry (every ServiceLoader provider on the class path and
 * in plugin jars) and the data and model factories. Sweep runs and single commands (params,
 * bench) build on it.
 */
public final class CoreModule extends AbstractModule {

    private final NormRegistry registry;

    public CoreModule(NormRegistry registry) {
        this.registry = registry;
    }

    @Override
    protected void configure() {
        bind(NormRegistry.class).toInstance(registry);
        bind(DataFactory.class).to(DefaultDataFactory.class);
        bind(ModelFactory.class).to(DefaultModelFactory.class);
    }
}

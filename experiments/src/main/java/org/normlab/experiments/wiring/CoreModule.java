package org.normlab.experiments.wiring;

import com.google.inject.AbstractModule;
import org.normlab.engine.assembly.DataFactory;
import org.normlab.engine.assembly.DefaultDataFactory;
import org.normlab.engine.assembly.ModelFactory;
import org.normlab.engine.assembly.TrialAssembly;
import org.normlab.engine.assembly.DefaultModelFactory;
import org.normlab.engine.assembly.DatasetReader;
import org.normlab.models.ModelFamily;
import com.google.inject.Module;
import com.google.inject.Provides;
import com.google.inject.multibindings.MapBinder;
import java.util.ServiceLoader;
import org.normlab.data.Datasets;
import org.normlab.experiments.sweep.MeasuredSpeed;
import org.normlab.experiments.sweep.TrialLauncher;
import org.normlab.models.ModelSpec;
import org.normlab.models.Models;
import org.normlab.norm.NormRegistry;

/**
 * The composition root of a sweep run: the norm registry (every ServiceLoader provider on the
 * class path and in plugin jars), the model families and datasets by name, and the data and model
 * factories, and the {@link TrialAssembly} that makes a trial of them. Plugin jars extend the
 * families and datasets with Guice modules found by ServiceLoader. Each sweep run adds a {@link RunModule} child and each trial a {@link TrialModule}
 * grandchild, both made by {@link TrialInjectors}, the sweep's {@link TrialLauncher}.
 */
public final class CoreModule extends AbstractModule {

    private final NormRegistry registry;
    private final ClassLoader plugins;

    /** @param plugins where plugin jars' Guice modules are looked for */
    public CoreModule(NormRegistry registry, ClassLoader plugins) {
        this.registry = registry;
        this.plugins = plugins;
    }

    public CoreModule(NormRegistry registry) {
        this(registry, CoreModule.class.getClassLoader());
    }

    @Override
    protected void configure() {
        bind(NormRegistry.class).toInstance(registry);
        bind(DataFactory.class).to(DefaultDataFactory.class);
        bind(ModelFactory.class).to(DefaultModelFactory.class);
        bind(TrialLauncher.class).to(TrialInjectors.class);
        bind(TrialAssembly.class);
        MapBinder<String, ModelFamily> families = MapBinder.newMapBinder(binder(), String.class, ModelFamily.class);
        for (String family : Models.families()) {
            families.addBinding(family).toInstance(CoreModule::resnet);
        }
        MapBinder<String, DatasetReader> datasets = MapBinder.newMapBinder(binder(), String.class, DatasetReader.class);
        for (String name : Datasets.NAMES) {
            datasets.addBinding(name).toInstance(path -> Datasets.load(name, path));
        }
        for (Module plugin : ServiceLoader.load(Module.class, plugins)) {
            install(plugin);
        }
    }

    /** {@code --dry-run}'s speed measurement: a fresh one (it keeps what it measured) each time. */
    @Provides
    MeasuredSpeed measuredSpeed(TrialAssembly assembly) {
        return new MeasuredSpeed(assembly);
    }

    private static ai.djl.nn.Block resnet(ModelFamily.Request r, org.normlab.norm.NormFactory body,
            org.normlab.norm.NormFactory shortcut) {
        org.normlab.models.Shortcut s = r.shortcut().equals("auto") ? null : org.normlab.models.Shortcut.valueOf(r.shortcut());
        return Models.build(new ModelSpec(r.family(), r.depth(), r.classes(), r.inChannels(), s, r.block(), r.cifarStem(),
                        org.normlab.models.ConvInit.of(r.init())),
                body, shortcut);
    }
}

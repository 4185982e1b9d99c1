package org.example.vgg;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.MapBinder;
import org.normlab.engine.assembly.DatasetReader;
import org.normlab.models.ModelFamily;

/**
 * A plugin as a researcher would ship it: a Guice module, listed in its jar's
 * META-INF/services/com.google.inject.Module, that adds the model family {@code small_vgg} and
 * the dataset {@code stripes}. Packed into a jar of its own by ModelPluginIT; the fat jar never
 * contains it.
 */
public final class VggPlugin extends AbstractModule {

    @Override
    protected void configure() {
        MapBinder<String, ModelFamily> families = MapBinder.newMapBinder(binder(), String.class, ModelFamily.class);
        families.addBinding("small_vgg").toInstance(new SmallVgg(16));
        families.addBinding("narrow_vgg").toInstance(new SmallVgg(8));
        MapBinder.newMapBinder(binder(), String.class, DatasetReader.class).addBinding("stripes").toInstance(path -> Stripes.split());
    }
}

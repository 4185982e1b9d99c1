package org.normlab.engine.assembly;

import ai.djl.nn.Block;
import com.google.inject.Inject;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.normlab.config.TrialConfig;
import org.normlab.models.ModelFamily;
import org.normlab.models.ModelSettingException;
import org.normlab.norm.NormFactory;
import org.normlab.norm.Spelling;

/** Model settings from a sweep file to the {@link ModelFamily} of that name (built-in or a plugin's). */
public final class DefaultModelFactory implements ModelFactory {

    private final Map<String, ModelFamily> families;

    @Inject
    DefaultModelFactory(Map<String, ModelFamily> families) {
        this.families = families;
    }

    @Override
    public Block build(TrialConfig.ModelConfig m, int classes, int inChannels, NormFactory body, NormFactory shortcut) {
        String name = String.valueOf(m.name()).trim().toLowerCase(Locale.ROOT);
        ModelFamily family = families.get(name);
        if (family == null) {
            List<String> known = List.copyOf(families.keySet());
            throw new ModelSettingException(ModelSettingException.NAME, String.format("model family '%s' is unknown%s; known families: %s",
                    m.name(), Spelling.hint(name, known), String.join(", ", known)));
        }
        return family.build(new ModelFamily.Request(name, m.depth(), m.shortcut(), m.block(), m.cifarStem(), classes,
                inChannels, m.init()), body, shortcut);
    }

    @Override
    public boolean knows(String family) {
        return families.containsKey(String.valueOf(family).trim().toLowerCase(Locale.ROOT));
    }
}

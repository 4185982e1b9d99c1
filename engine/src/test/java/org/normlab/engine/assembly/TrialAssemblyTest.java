package org.normlab.engine.assembly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.nn.Block;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.normlab.config.SweepLoader;
import org.normlab.config.TrialConfig;
import org.normlab.instruments.NormLayer;
import org.normlab.instruments.NormLayers;
import org.normlab.models.ModelFamily;
import org.normlab.models.ModelSpec;
import org.normlab.models.Models;
import org.normlab.models.Shortcut;
import org.normlab.norm.NormConfigException;
import org.normlab.norm.NormRegistry;
import org.normlab.results.UserError;

/**
 * What {@link TrialAssembly} makes of a trial's settings without naming a norm: layers.csv's
 * normalization batch as the body's norm declares it, and a shortcut norm that is any norm.
 */
class TrialAssemblyTest {

    private final NormRegistry registry = NormRegistry.load();
    /** cifar_resnet with projection (B) shortcuts, so that shortcut norms exist. */
    private final ModelFamily resnetB = (r, body, shortcut) -> Models.build(
            new ModelSpec(r.family(), r.depth(), r.classes(), r.inChannels(), Shortcut.B, null, false), body, shortcut);
    private final TrialAssembly assembly = TrialAssembly.withoutData(registry,
            new DefaultModelFactory(Map.of(ModelSpec.CIFAR_RESNET, resnetB)));

    private static TrialConfig config(String yaml) {
        return SweepLoader.parse("test.yaml", "name: t\nseeds: [1]\n" + yaml, List.of()).trials().get(0).config();
    }

    private int normalizationBatch(String yaml) {
        TrialConfig c = config("log: {layers: {every_steps: 1}}\n" + yaml);
        return TrialAssembly.layersPlan(c, assembly.norms(c, 1)).normalizationBatch();
    }

    @Test
    void theBodysNormDeclaresTheSamplesItNormalizesTogether() {
        // a ghost wrapper: its size, its default size (32), or the whole batch when that is smaller
        assertEquals(8, normalizationBatch("data: {batch_size: 64}\nattack: {name: ghost, options: {size: 8}}\n"));
        assertEquals(32, normalizationBatch("data: {batch_size: 128}\nattack: {name: ghost}\n"));
        assertEquals(16, normalizationBatch("data: {batch_size: 16}\nattack: {name: ghost}\n"));
        // every other norm and wrapper: the whole batch
        assertEquals(64, normalizationBatch("data: {batch_size: 64}\nattack: {name: gaussian}\n"));
        assertEquals(64, normalizationBatch("data: {batch_size: 64}\nnorm: {name: iebn}\n"));
        // ghost as the norm, and nested: a wrapper around ghost keeps its parts, ghost around ghost the smaller ones
        assertEquals(8, normalizationBatch("data: {batch_size: 64}\nnorm: {name: ghost, options: {size: 8}}\n"));
        assertEquals(8, normalizationBatch("data: {batch_size: 64}\nnorm: {name: ghost, options: {size: 8}}\n"
                + "attack: {name: gaussian}\n"));
        assertEquals(8, normalizationBatch("data: {batch_size: 64}\nnorm: {name: ghost, options: {size: 8}}\n"
                + "attack: {name: ghost, options: {size: 16}}\n"));
        assertEquals(4, normalizationBatch("data: {batch_size: 64}\nnorm: {name: ghost, options: {size: 8}}\n"
                + "attack: {name: ghost, options: {size: 4}}\n"));
    }

    /** The norm name layers.csv gives each norm layer of a ResNet-8 with projection shortcuts. */
    private Map<String, Integer> layerNames(TrialConfig c) {
        TrialNorms norms = assembly.norms(c, 1);
        Block model = assembly.model(c.model(), norms, 10, 3);
        Map<String, Integer> count = new TreeMap<>();
        for (NormLayer layer : NormLayers.find(model)) {
            count.merge(TrialAssembly.layersPlan(c, norms).normOf().apply(layer.block()), 1, Integer::sum);
        }
        return count;
    }

    @Test
    void theShortcutNormIsSameOrAnyNorm() {
        // ResNet-8: a stem norm and two per unit in the body (7), a norm in each of the two projection shortcuts
        String model = "model: {name: cifar_resnet, depth: 8, shortcut: B, shortcut_norm: %s}\n";
        TrialConfig bn = config("norm: {name: iebn}\n" + model.formatted("bn"));
        assertEquals(Map.of("iebn", 7, "bn", 2), layerNames(bn));
        TrialConfig brn = config("norm: {name: iebn}\n" + model.formatted("brn"));
        assertEquals(Map.of("iebn", 7, "brn", 2), layerNames(brn));
        TrialConfig same = config("norm: {name: iebn}\n" + model.formatted("same"));
        assertEquals(Map.of("iebn", 9), layerNames(same));
        TrialNorms sameNorms = assembly.norms(same, 1);
        assertSame(sameNorms.body(), sameNorms.shortcut());
        assertNotSame(assembly.norms(bn, 1).body(), assembly.norms(bn, 1).shortcut());
        // result.json's provenance names the shortcut's provider as it did for bn
        assertEquals(List.of("body=iebn", "shortcut=bn"), provenanceNames(bn));
        assertEquals(List.of("body=iebn", "shortcut=brn"), provenanceNames(brn));
        assertEquals(List.of("body=iebn", "shortcut=iebn"), provenanceNames(same));
        TrialConfig attacked = config("norm: {name: iebn}\nattack: {name: gaussian}\n" + model.formatted("same"));
        assertEquals(List.of("body=gaussian", "wrapped=iebn", "shortcut=gaussian"), provenanceNames(attacked));
    }

    private List<String> provenanceNames(TrialConfig c) {
        return assembly.provenance(c).norms().stream().map(s -> s.role() + "=" + s.name()).toList();
    }

    @Test
    void anUnknownShortcutNormIsAClearErrorWithItsKey() {
        TrialConfig c = config("model: {shortcut_norm: bx}\n");
        NormConfigException e = assertThrows(NormConfigException.class, () -> assembly.norms(c, 1));
        assertEquals("model.shortcut_norm", e.key());
        assertEquals("'bx' is neither same nor a norm (did you mean 'bn'?); allowed: same, " + String.join(", ", registry.names()),
                e.getMessage());
        UserError blank = assertThrows(UserError.class, () -> config("model: {shortcut_norm: ''}\n"));
        assertTrue(blank.getMessage().contains("model.shortcut_norm: must be same or the name of a norm plugin"), blank.getMessage());
    }
}

package org.normlab.norm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.normlab.norm.testing.ScaledIdentityProvider;

class NormRegistryTest {

    @Test
    void aTestOnlyPluginIsFoundThroughItsOwnServicesFileAndUsableByName() {
        NormRegistry registry = NormRegistry.load();
        assertTrue(registry.names().contains("scaled-identity"), registry.names().toString());
        Block block = registry.factory("scaled-identity", Map.of("scale", 3)).create(2);
        try (NDManager manager = NDManager.newBaseManager()) {
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 2));
            NDArray x = manager.create(new float[] {1, -2}, new Shape(1, 2));
            NDArray y = block.forward(new ParameterStore(manager, false), new NDList(x), false).singletonOrThrow();
            assertEquals(List.of(3f, -6f), List.of(y.getFloat(0, 0), y.getFloat(0, 1)));
        }
    }

    @Test
    void unknownNameListsTheKnownOnes() {
        NormRegistry registry = NormRegistry.of(List.of(new ScaledIdentityProvider()));
        NormConfigException e = assertThrows(NormConfigException.class, () -> registry.provider("scaled-identiy"));
        assertEquals("unknown norm 'scaled-identiy' (did you mean 'scaled-identity'?); known norms: scaled-identity", e.getMessage());
    }

    @Test
    void twoProvidersWithOneNameAreAnErrorNamingBothClasses() {
        NormProvider twin = new NormProvider() {
            public String name() {
                return "scaled-identity";
            }

            public String description() {
                return "";
            }

            public List<NormOption> options() {
                return List.of();
            }

            public Block create(NormSpec spec) {
                return null;
            }
        };
        NormConfigException e = assertThrows(NormConfigException.class,
                () -> NormRegistry.of(List.of(new ScaledIdentityProvider(), twin)));
        assertTrue(e.getMessage().contains("two norm plugins are named 'scaled-identity'"), e.getMessage());
        assertTrue(e.getMessage().contains("(built in)"), e.getMessage());
        assertTrue(e.getMessage().contains(ScaledIdentityProvider.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains(twin.getClass().getName()), e.getMessage());
    }

    @Test
    void badOptionValueNamesOptionValueAndRange() {
        NormRegistry registry = NormRegistry.of(List.of(new ScaledIdentityProvider()));
        NormConfigException e = assertThrows(NormConfigException.class,
                () -> registry.factory("scaled-identity", Map.of("scale", 1000)));
        assertEquals("scale", e.key());
        assertEquals("norm 'scaled-identity': option 'scale' has value '1000', but it must be a number in [-100, 100]",
                e.getMessage());
        e = assertThrows(NormConfigException.class, () -> registry.factory("scaled-identity", Map.of("scale", "big")));
        assertTrue(e.getMessage().contains("has value 'big'"), e.getMessage());
    }

    @Test
    void unknownOptionListsTheAcceptedOnes() {
        NormRegistry registry = NormRegistry.of(List.of(new ScaledIdentityProvider()));
        NormConfigException e = assertThrows(NormConfigException.class,
                () -> registry.factory("scaled-identity", Map.of("scal", 2)));
        assertEquals("norm 'scaled-identity' has no option 'scal' (did you mean 'scale'?); it accepts: scale", e.getMessage());
    }

    @Test
    void optionTypesAndBoundsAreChecked() {
        NormOption eps = BatchNormOptions.EPS;
        assertEquals(1e-3, eps.validate("1e-3"));
        assertThrows(NormConfigException.class, () -> eps.validate(0.0));
        assertThrows(NormConfigException.class, () -> eps.validate(Double.NaN));
        NormOption size = NormOption.integer("size", 32, 1, 4096, "");
        assertEquals(7, size.validate(7L));
        assertThrows(NormConfigException.class, () -> size.validate(2.5));
        assertEquals(false, BatchNormOptions.AFFINE.validate("false"));
        assertThrows(NormConfigException.class, () -> BatchNormOptions.AFFINE.validate("yes"));
    }

    @Test
    void aFactoryThatThrowsIsReportedWithThePluginsName() {
        NormProvider broken = new NormProvider() {
            public String name() {
                return "broken";
            }

            public String description() {
                return "";
            }

            public List<NormOption> options() {
                return List.of();
            }

            public Block create(NormSpec spec) {
                throw new IllegalStateException("boom");
            }
        };
        NormFactory factory = NormRegistry.of(List.of(broken)).factory("broken", Map.of());
        NormConfigException e = assertThrows(NormConfigException.class, () -> factory.create(16));
        assertTrue(e.getMessage().startsWith("norm plugin 'broken'"), e.getMessage());
        assertTrue(e.getMessage().contains("a layer of 16 channels"), e.getMessage());
        assertTrue(e.getMessage().contains("boom"), e.getMessage());
    }
}

package org.normlab.norm.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.normlab.norm.noise.BatchNormReference.assertClose;
import static org.normlab.norm.noise.BatchNormReference.filled;

import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.util.Pair;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.normlab.norm.NormConfigException;
import org.normlab.norm.NormOption;
import org.normlab.norm.NormProvider;
import org.normlab.norm.NormRegistry;
import org.normlab.norm.NormSpec;
import org.normlab.norm.Standardizable;
import org.normlab.norm.Standardizer;
import org.normlab.norm.bn.BatchNormProvider;
import org.normlab.norm.conformance.ReferenceFixture;
import org.normlab.norm.iebn.IebnLayer;
import org.normlab.norm.testing.Fixtures;

class WrapperPlumbingTest {

    /** A norm without a batch-normalized step: the identity. */
    static final class IdentityProvider implements NormProvider {
        @Override
        public String name() {
            return "identity";
        }

        @Override
        public String description() {
            return "test only: no normalization";
        }

        @Override
        public List<NormOption> options() {
            return List.of();
        }

        @Override
        public Block create(NormSpec spec) {
            return new LambdaBlock(x -> x);
        }
    }

    private final NormRegistry registry = NormRegistry.load();

    @Test
    void theWrappersArePlugins() {
        assertTrue(registry.names().containsAll(List.of("constant", "gaussian", "ghost")), registry.names().toString());
    }

    @Test
    void aWrapperReturnsTheInnerBlockWithItsParameters() {
        Block wrapped = registry.factory("constant", Map.of("inner", "iebn")).create(3);
        Block plain = registry.factory("iebn", Map.of()).create(3);
        assertSame(IebnLayer.class, wrapped.getClass());
        assertEquals(names(plain), names(wrapped));
        Standardizer step = ((Standardizable) wrapped).getStandardizer();
        assertEquals("constant(a=1.5, b=0.5, eval=false, batch)", step.toString());
    }

    @Test
    void innerOptionsBuildTheInnerNormWithThem() {
        // iebn with its gate fixed under the constant attack: the gate's parameters need no gradient
        Block wrapped = registry.factory("constant", Map.of("inner", "iebn", "inner_options", "gate=fixed, momentum=0.2")).create(3);
        assertSame(IebnLayer.class, wrapped.getClass());
        Map<String, Boolean> trained = new java.util.LinkedHashMap<>();
        wrapped.getParameters().forEach(p -> trained.put(p.getValue().getName(), p.getValue().requiresGradient()));
        assertEquals(Map.of("gamma", true, "beta", true, "weightReadjust", false, "biasReadjust", false,
                "runningMean", false, "runningVar", false), trained);
        Block adaptive = registry.factory("constant", Map.of("inner", "iebn")).create(3);
        assertTrue(adaptive.getParameters().stream().filter(p -> p.getValue().getName().endsWith("Readjust"))
                .allMatch(p -> p.getValue().requiresGradient()), "the default gate is trained");
    }

    @Test
    void badInnerOptionsAreErrorsNamingTheWrapperAndTheOption() {
        NormConfigException notPair = assertThrows(NormConfigException.class,
                () -> registry.factory("constant", Map.of("inner", "iebn", "inner_options", "gatefixed")));
        assertEquals("norm 'constant', option 'inner_options': 'gatefixed' is not key=value; write key=value pairs "
                + "separated by commas, each key once, e.g. gate=fixed", notPair.getMessage());
        NormConfigException unknown = assertThrows(NormConfigException.class,
                () -> registry.factory("gaussian", Map.of("inner", "iebn", "inner_options", "gates=fixed")));
        assertTrue(unknown.getMessage().startsWith("norm 'gaussian', option 'inner_options': norm 'iebn' has no option 'gates'"),
                unknown.getMessage());
        NormConfigException value = assertThrows(NormConfigException.class,
                () -> registry.factory("constant", Map.of("inner", "iebn", "inner_options", "gate=frozen")));
        assertTrue(value.getMessage().contains("must be one of adaptive, fixed"), value.getMessage());
    }

    @Test
    void wrappersCompose() {
        Block block = registry.factory("gaussian", Map.of("inner", "ghost")).create(3);
        assertEquals("gaussian(s_mu=0.1, s_sigma=0.1, ghost(size=32, batch))",
                ((Standardizable) block).getStandardizer().toString());
    }

    @Test
    void aWrappedWrapperStillAttacks() {
        // ghost of one virtual batch around constant with its defaults: the constant attack exactly.
        ReferenceFixture f = Fixtures.load("bn");
        BatchNormReference.Step expected = BatchNormReference.train(
                f.input("x"), f.shape(), f.parameters().get("gamma"), f.parameters().get("beta"),
                f.input("upstream_grad"), filled(3, 1.5), filled(3, 0.5), 1e-5);
        try (LayerRun run = LayerRun.of(registry, "ghost", Map.of("size", 4, "inner", "constant"), f)) {
            LayerRun.Train actual = run.train();
            assertClose("y", expected.y(), actual.y());
            assertClose("grad_x", expected.gradX(), actual.gradX());
            assertClose("grad_gamma", expected.gradGamma(), actual.paramGrads().get("gamma"));
        }
    }

    @Test
    void aNormWithoutABatchStepCannotBeWrapped() {
        NormRegistry withIdentity =
                NormRegistry.of(List.of(new BatchNormProvider(), new ConstantNoiseProvider(), new IdentityProvider()));
        NormConfigException e = assertThrows(
                NormConfigException.class, () -> withIdentity.factory("constant", Map.of("inner", "identity")).create(3));
        assertEquals("inner", e.key());
        for (String part : List.of("'constant' cannot wrap norm 'identity'", "LambdaBlock", "Standardizable", "bn or iebn")) {
            assertTrue(e.getMessage().contains(part), e.getMessage());
        }
    }

    @Test
    void anUnknownInnerNormListsTheKnownOnes() {
        NormConfigException e =
                assertThrows(NormConfigException.class, () -> registry.factory("ghost", Map.of("inner", "bm")));
        assertEquals("inner", e.key());
        for (String part : List.of("norm 'ghost', option 'inner'", "unknown norm 'bm'", "did you mean 'bn'",
                "known norms: bn, constant, gaussian, ghost, iebn")) {
            assertTrue(e.getMessage().contains(part), e.getMessage());
        }
    }

    private static List<String> names(Block block) {
        return block.getParameters().stream().map(Pair::getKey).toList();
    }
}

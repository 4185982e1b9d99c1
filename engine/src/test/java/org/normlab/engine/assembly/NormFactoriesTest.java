package org.normlab.engine.assembly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.normlab.config.SweepLoader;
import org.normlab.config.TrialConfig;
import org.normlab.norm.NormConfigException;
import org.normlab.norm.NormRegistry;
import org.normlab.norm.Standardizable;

/** norm.options under an attack reach the wrapped norm (sweeps/noise.yaml's iebn_fixed). */
class NormFactoriesTest {

    private final NormRegistry registry = NormRegistry.load();

    private static TrialConfig config(String yaml) {
        return SweepLoader.parse("test.yaml", "name: t\nseeds: [1]\n" + yaml, List.of()).trials().get(0).config();
    }

    @Test
    void normOptionsUnderAnAttackBuildTheWrappedNormWithThem() {
        TrialConfig c = config("norm: {name: iebn, options: {gate: fixed}}\n"
                + "attack: {name: constant, options: {a: 2.0, b: 1.0, eval: true}}\n");
        Block layer = NormFactories.body(registry, c, 1).create(4);
        assertEquals("constant(a=2.0, b=1.0, eval=true, batch)", ((Standardizable) layer).getStandardizer().toString());
        Map<String, Boolean> trained = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : layer.getParameters()) {
            trained.put(p.getValue().getName(), p.getValue().requiresGradient());
        }
        assertEquals(false, trained.get("weightReadjust"));
        assertEquals(false, trained.get("biasReadjust"));
        assertEquals(true, trained.get("gamma"));
        // without the option the gate trains, attack or not
        Block adaptive = NormFactories.body(registry, config("norm: {name: iebn}\nattack: {name: gaussian}\n"), 1).create(4);
        assertTrue(adaptive.getParameters().stream().filter(p -> p.getValue().getName().endsWith("Readjust"))
                .allMatch(p -> p.getValue().requiresGradient()));
    }

    @Test
    void innerOptionsSetTwiceAreAnError() {
        TrialConfig c = config("norm: {name: iebn, options: {gate: fixed}}\n"
                + "attack: {name: constant, options: {inner_options: gate=adaptive}}\n");
        NormConfigException e = assertThrows(NormConfigException.class, () -> NormFactories.body(registry, c, 1));
        assertEquals("norm.options and attack.options.inner_options both set the options of 'iebn' under the attack; "
                + "set them in one place (norm.options)", e.getMessage());
    }

    @Test
    void normOptionsBecomeKeyValuePairs() {
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("gate", "fixed");
        options.put("momentum", 0.2);
        assertEquals("gate=fixed,momentum=0.2", NormFactories.innerOptions(options));
    }
}

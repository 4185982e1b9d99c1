package org.normlab.norm.act;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.nn.Block;
import ai.djl.util.Pair;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.normlab.norm.NormConfigException;
import org.normlab.norm.NormFactory;
import org.normlab.norm.NormRegistry;
import org.normlab.norm.conformance.ConformanceKit;
import org.normlab.norm.conformance.ConformanceReport;
import org.normlab.norm.conformance.ReferenceFixture;
import org.normlab.norm.testing.Fixtures;

/** frn, evonorm_b0 and evonorm_s0 against the generator's FRN+TLU and timm's EvoNorm2dB0/S0 ports. */
class NormActConformanceTest {

    private final NormRegistry registry = NormRegistry.load();

    /** checks: y, grad_x, one gradient per parameter, one per running statistic, eval y; then one per initialised parameter. */
    @ParameterizedTest
    @CsvSource({
        "frn, frn-2x6x5x5, 6", "frn, frn-1x4x3x7, 6", "frn, frn-noact-2x6x3x3, 5",
        "evonorm_b0, evonorm_b0-4x6x5x5, 7", "evonorm_b0, evonorm_b0-2x4x3x7, 7",
        "evonorm_b0, evonorm_b0-noact-2x4x3x3, 6",
        "evonorm_s0, evonorm_s0-2x8x5x5, 6", "evonorm_s0, evonorm_s0-1x6x3x7, 6",
        "evonorm_s0, evonorm_s0-noact-2x8x3x3, 5"})
    void matchesPyTorchInTrainAndEval(String norm, String fixture, int checks) {
        ReferenceFixture f = Fixtures.load(fixture);
        if (f.runningStats().isEmpty()) {
            assertArrayEquals(f.train().get("y"), f.eval().get("y"), "without running statistics eval.y is train.y");
        }
        ConformanceReport report = ConformanceKit.check(registry, norm, f);
        assertTrue(report.passed(), report::format);
        assertEquals(checks + f.init().size(), report.checks().size(), report::format);
    }

    @Test
    void onlyB0KeepsARunningVarianceAndNoRunningMean() {
        assertEquals(List.of("var"), Fixtures.load("evonorm_b0-4x6x5x5").runningStats());
        assertTrue(Fixtures.load("evonorm_s0-2x8x5x5").runningStats().isEmpty());
        assertTrue(Fixtures.load("frn-2x6x5x5").runningStats().isEmpty());
    }

    @Test
    void theActivationMattersAndIsLeftOutOnRequest() {
        // Built without its activation a layer has no activation parameter (timm's apply_act=False).
        NormFactory frn = registry.factory("frn", Map.of());
        assertTrue(frn.carriesActivation());
        assertEquals(List.of("gamma", "beta", "tau"), names(frn.create(4)));
        assertEquals(List.of("gamma", "beta"), names(frn.create(4, false)));
        NormFactory b0 = registry.factory("evonorm_b0", Map.of());
        assertEquals(List.of("gamma", "beta", "v", "runningVar"), names(b0.create(4)));
        assertEquals(List.of("gamma", "beta", "runningVar"), names(b0.create(4, false)));
        assertFalse(registry.factory("scaled-identity", Map.of()).carriesActivation());
    }

    @Test
    void s0GroupsFollowGnsRule() {
        assertEquals(16, ((EvoNormS0Layer) registry.factory("evonorm_s0", Map.of()).create(16)).groups());
        NormConfigException e = assertThrows(NormConfigException.class,
                () -> registry.factory("evonorm_s0", Map.of("groups", 32, "strict", true)).create(48));
        assertTrue(e.getMessage().contains("groups 32 do not divide the 48 channels"), e.getMessage());
    }

    @Test
    void optionsAreValidated() {
        NormConfigException e = assertThrows(NormConfigException.class, () -> registry.factory("frn", Map.of("eps", 0)));
        assertEquals("norm 'frn': option 'eps' has value '0', but it must be a number in (0, 1]", e.getMessage());
        e = assertThrows(NormConfigException.class, () -> registry.factory("frn", Map.of("momentum", 0.1)));
        assertEquals("norm 'frn' has no option 'momentum'; it accepts: eps", e.getMessage());
        assertThrows(NormConfigException.class, () -> registry.factory("evonorm_b0", Map.of("momentum", 1.5)));
        assertThrows(NormConfigException.class, () -> registry.factory("evonorm_s0", Map.of("groups", -1)));
    }

    private static List<String> names(Block block) {
        return block.getParameters().stream().map(Pair::getValue).map(p -> p.getName()).toList();
    }
}

package org.normlab.norm.group;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.nn.Block;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.normlab.norm.NormConfigException;
import org.normlab.norm.NormRegistry;
import org.normlab.norm.conformance.ConformanceKit;
import org.normlab.norm.conformance.ConformanceReport;
import org.normlab.norm.conformance.ReferenceFixture;
import org.normlab.norm.conformance.Tolerance;
import org.normlab.norm.testing.Fixtures;

/** gn, ln and in against torch.nn.GroupNorm / InstanceNorm2d fixtures from bench/make_fixtures.sh. */
class GroupNormConformanceTest {

    private final NormRegistry registry = NormRegistry.load();

    @ParameterizedTest
    @CsvSource({
        "gn, gn-2x8x5x5", "gn, gn-1x6x7x3", "gn, gn-fit-2x12x3x3",
        "ln, ln-2x6x4x4", "ln, ln-1x5x3x7",
        "in, in-2x6x5x5", "in, in-1x4x3x7"})
    void matchesPyTorchInTrainAndEval(String norm, String fixture) {
        ReferenceFixture f = Fixtures.load(fixture);
        assertTrue(f.runningStats().isEmpty(), "a batch-independent norm's fixture has no running_* keys");
        assertArrayEquals(f.train().get("y"), f.eval().get("y"), "without running statistics eval.y is train.y");
        ConformanceReport report = ConformanceKit.check(registry, norm, f);
        assertTrue(report.passed(), report::format);
        // init of gamma and beta (the generator records fresh parameters), train.y, grad_x, grad_gamma,
        // grad_beta, eval.y: no running statistics
        assertEquals(List.of("beta", "gamma"), f.init().keySet().stream().sorted().toList());
        assertEquals(5 + f.init().size(), report.checks().size(), report::format);
    }

    @Test
    void instanceNormWithRunningStatisticsMatchesPyTorch() {
        // InstanceNorm2d(4, affine=True, track_running_stats=True): the fixture's options turn them on.
        ReferenceFixture f = Fixtures.load("in-running-2x4x5x3");
        assertEquals(List.of("mean", "var"), f.runningStats());
        ConformanceReport report = ConformanceKit.check(registry, "in", f);
        assertTrue(report.passed(), report::format);
        assertEquals(7 + f.init().size(), report.checks().size(), report::format); // and init.gamma, init.beta
        // Without them the block has no running statistics, and the kit says so.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConformanceKit.check(
                registry, "in", Map.of("track_running_stats", false), f, Tolerance.DEFAULT));
        assertTrue(e.getMessage().contains("no parameter 'runningMean'"), e.getMessage());
    }

    @Test
    void theWrongGroupCountFails() {
        // GroupNorm(4, 8) data checked as 2 groups: the outputs and gradients differ.
        ConformanceReport report = ConformanceKit.check(
                registry, "gn", Map.of("groups", 2), Fixtures.load("gn-2x8x5x5"), Tolerance.DEFAULT);
        assertTrue(report.failures().stream().anyMatch(c -> c.quantity().equals("train.y")), report::format);
        assertTrue(report.failures().stream().anyMatch(c -> c.quantity().equals("eval.y")), report::format);
    }

    @Test
    void lnIsNotIn() {
        ConformanceReport report = ConformanceKit.check(registry, "in", Fixtures.load("ln-2x6x4x4"));
        assertTrue(report.failures().stream().anyMatch(c -> c.quantity().equals("train.y")), report::format);
    }

    @ParameterizedTest
    @CsvSource({"16, 32, 16", "24, 16, 12", "64, 32, 32", "7, 4, 1", "12, 8, 6"})
    void groupsThatDoNotDivideTheChannelsRoundDownToADivisor(int channels, int groups, int used) {
        Block block = registry.factory("gn", Map.of("groups", groups)).create(channels);
        assertEquals(used, ((GroupNormLayer) block).groups());
    }

    @Test
    void strictGroupsThatDoNotDivideAreAnErrorNamingTheChannels() {
        var factory = registry.factory("gn", Map.of("groups", 32, "strict", true));
        assertEquals(32, ((GroupNormLayer) factory.create(64)).groups());
        NormConfigException e = assertThrows(NormConfigException.class, () -> factory.create(16));
        assertEquals("groups", e.key());
        for (String part : List.of("groups 32 do not divide the 16 channels", "1, 2, 4, 8, 16", "strict: false")) {
            assertTrue(e.getMessage().contains(part), e.getMessage());
        }
    }

    @Test
    void optionsAreValidatedLikeBns() {
        NormConfigException e = assertThrows(NormConfigException.class, () -> registry.factory("gn", Map.of("groups", 0)));
        assertEquals("norm 'gn': option 'groups' has value '0', but it must be an integer in [1, 65536]", e.getMessage());
        e = assertThrows(NormConfigException.class, () -> registry.factory("ln", Map.of("groups", 2)));
        assertEquals("norm 'ln' has no option 'groups'; it accepts: eps, affine", e.getMessage());
        assertThrows(NormConfigException.class, () -> registry.factory("in", Map.of("eps", 0)));
        assertThrows(NormConfigException.class, () -> registry.factory("gn", Map.of("strict", "maybe")));
    }

    @Test
    void withoutAffineThereAreNoParameters() {
        Block block = registry.factory("gn", Map.of("groups", 2, "affine", false)).create(4);
        assertTrue(block.getParameters().isEmpty());
    }
}

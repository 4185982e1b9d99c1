package org.normlab.norm.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.normlab.norm.NormConfigException;
import org.normlab.norm.NormRegistry;
import org.normlab.norm.testing.DynamicTanhProvider;
import org.normlab.norm.testing.Fixtures;
import org.normlab.norm.testing.MeanOnlyProvider;

/**
 * The kit on a norm without parameters or running statistics (the test plugin y = scale * x),
 * with a hand-computed fixture: y = 3x, grad_x = 3 * upstream.
 */
class ConformanceKitTest {

    private final NormRegistry registry = NormRegistry.load();

    /** test-dyt is registered here only, so that other modules' registries do not list it. */
    private final NormRegistry dytRegistry = NormRegistry.of(List.of(new DynamicTanhProvider()));

    private static final double[] X = {1, -2, 0.5, 4, 3, -1, 2, 0};
    private static final double[] UP = {0.5, 1, -1, 2, 1, 1, 0.25, -3};

    private static ReferenceFixture scaled(double factor, String options) throws IOException {
        StringBuilder y = new StringBuilder();
        StringBuilder gx = new StringBuilder();
        for (int i = 0; i < X.length; i++) {
            y.append(i == 0 ? "" : ",").append(factor * X[i]);
            gx.append(i == 0 ? "" : ",").append(factor * UP[i]);
        }
        String json = "{\"kind\": \"scaled-identity\", \"shape\": [2, 2, 1, 2], \"options\": " + options
                + ", \"x\": " + java.util.Arrays.toString(X) + ", \"upstream_grad\": " + java.util.Arrays.toString(UP)
                + ", \"train\": {\"y\": [" + y + "], \"grad_x\": [" + gx + "]}, \"eval\": {\"y\": [" + y + "]}}";
        return ReferenceFixture.load("scaled.json", new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aNormWithoutRunningStatisticsIsCheckedWithoutThem() throws IOException {
        ReferenceFixture fixture = scaled(3, "{\"scale\": 3}");
        assertTrue(fixture.runningStats().isEmpty());
        ConformanceReport report = ConformanceKit.check(registry, "scaled-identity", fixture);
        assertTrue(report.passed(), report::format);
        // train.y, train.grad_x, eval.y: no running statistics, no parameters
        assertEquals(3, report.checks().size(), report::format);
    }

    @Test
    void theOptionsObjectBuildsTheLayer() throws IOException {
        // Without the options object the default scale 1 is used, and every quantity fails.
        ConformanceReport report = ConformanceKit.check(registry, "scaled-identity", scaled(3, "{}"));
        assertEquals(3, report.failures().size(), report::format);
    }

    @Test
    void anOptionTheNormLacksIsAnErrorNamingIt() throws IOException {
        NormConfigException e = assertThrows(NormConfigException.class,
                () -> ConformanceKit.check(registry, "scaled-identity", scaled(3, "{\"groups\": 4}")));
        assertTrue(e.getMessage().contains("no option 'groups'"), e.getMessage());
    }

    @Test
    void aFailureNamesQuantityWorstIndexExpectedActualAndTolerance() throws IOException {
        // scale 3.001 against y = 3x: the largest |x| (4, at flat index 3 = (0,1,0,1)) is worst.
        ConformanceReport report =
                ConformanceKit.check(registry, "scaled-identity", Map.of("scale", 3.001), scaled(3, "{}"), Tolerance.DEFAULT);
        QuantityCheck y = report.checks().get(0);
        assertEquals("train.y", y.quantity());
        assertFalse(y.passed());
        assertArrayEquals(new long[] {0, 1, 0, 1}, y.worstIndex());
        assertEquals(12.0, y.expected());
        assertEquals(12.004, y.actual(), 1e-5);
        String line = y.toString();
        for (String part : new String[] {"train.y", "FAIL", "(N,C,H,W)=(0,1,0,1)", "expected 12.0000000", "actual 12.003999",
                "allowed 1.210e-03", "atol 1e-05", "rtol 1e-04"}) {
            assertTrue(line.contains(part), line);
        }
    }

    @Test
    void aFixtureWithRunningStatisticsNeedsABlockWithThem() {
        // The bn fixture names running_mean and running_var; the test plugin has neither.
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConformanceKit.check(registry, "scaled-identity", Fixtures.load("bn")));
        assertTrue(e.getMessage().contains("no parameter 'gamma'"), e.getMessage());
    }

    @Test
    void aTrainValueForNothingIsAnInvalidFixture() {
        String json = "{\"shape\": [1, 1, 1, 1], \"x\": [1], \"upstream_grad\": [1],"
                + " \"train\": {\"y\": [1], \"grad_x\": [1], \"running_mean_after\": [0]}, \"eval\": {\"y\": [1]}}";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReferenceFixture.load(
                "odd.json", new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))));
        assertTrue(e.getMessage().contains("'train.running_mean_after' belongs to no parameter"), e.getMessage());
    }

    @Test
    void aScalarParameterIsCheckedAndItsWorstElementIsNotAChannel() throws IOException {
        ReferenceFixture dyt = Fixtures.load("dyt");
        assertEquals(1, dyt.parameters().get("alpha").length);
        ConformanceReport report = ConformanceKit.check(dytRegistry, "test-dyt", dyt);
        assertTrue(report.passed(), report::format);
        // init.alpha, init.gamma, init.beta, train.y, train.grad_x, grad_alpha, grad_gamma, grad_beta, eval.y
        assertEquals(9, report.checks().size(), report::format);
        assertEquals("(scalar)", report.checks().get(0).where());
        QuantityCheck alpha = report.checks().stream().filter(c -> c.quantity().equals("train.grad_alpha")).findFirst().orElseThrow();
        assertEquals("(scalar)", alpha.where());
        QuantityCheck gamma = report.checks().stream().filter(c -> c.quantity().equals("train.grad_gamma")).findFirst().orElseThrow();
        assertTrue(gamma.where().startsWith("(C)=("), gamma.where());

        // A wrong alpha fails on the scalar, labelled as one.
        ConformanceReport wrong = ConformanceKit.check(dytRegistry, "test-dyt", Map.of(), withAlpha(dyt, 0.6), Tolerance.DEFAULT);
        QuantityCheck grad = wrong.failures().stream().filter(c -> c.quantity().equals("train.grad_alpha")).findFirst().orElseThrow();
        assertTrue(grad.toString().contains("worst at (scalar):"), grad.toString());
    }

    @Test
    void aParameterOfAnotherShapeIsNamedBeforeAnythingIsLoaded() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConformanceKit.check(dytRegistry, "test-dyt", Map.of("per_channel_alpha", true), Fixtures.load("dyt"),
                        Tolerance.DEFAULT));
        assertTrue(e.getMessage().contains("differ in parameter shapes: alpha: fixture (1), block (3)"), e.getMessage());
        assertFalse(e.getMessage().contains("buffer size"), e.getMessage());
    }

    @Test
    void aBatchNormWithoutVarianceOrEpsIsCheckedOnItsRunningMeanAlone() {
        ReferenceFixture mobn = Fixtures.load("mobn");
        assertEquals(List.of("mean"), mobn.runningStats());
        NormRegistry registry = NormRegistry.of(List.of(new MeanOnlyProvider()));
        ConformanceReport report = ConformanceKit.check(registry, "test-mobn", mobn);
        assertTrue(report.passed(), report::format);
        assertEquals(List.of("init.beta", "train.y", "train.grad_x", "train.grad_beta", "train.running_mean_after", "eval.y"),
                report.checks().stream().map(QuantityCheck::quantity).toList());
    }

    @Test
    void aLayerThatIgnoresItsInitialisationOptionFails() {
        ConformanceReport report = ConformanceKit.check(dytRegistry, "test-dyt", Map.of("ignore_alpha_init", true),
                Fixtures.load("dyt"), Tolerance.DEFAULT);
        assertEquals(List.of("init.alpha"), report.failures().stream().map(QuantityCheck::quantity).toList(),
                report::format);
        QuantityCheck alpha = report.failures().get(0);
        assertEquals(0.5, alpha.expected());
        assertEquals(1.0, alpha.actual());
        assertTrue(report.format().endsWith("FAIL: 1 of 9 quantities out of tolerance"), report::format);
    }

    @Test
    void aRandomInitialisationIsSkippedWithItsReason() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = (ObjectNode)
                mapper.readTree(ConformanceKitTest.class.getResourceAsStream("/fixtures/dyt.json"));
        ((ObjectNode) root.get("init")).remove("gamma");
        root.putObject("init_random").put("gamma", "random initialisation (differs between seeds), not checked");
        ReferenceFixture fixture = ReferenceFixture.load("dyt-random.json", new ByteArrayInputStream(mapper.writeValueAsBytes(root)));
        ConformanceReport report = ConformanceKit.check(dytRegistry, "test-dyt", fixture);
        assertTrue(report.passed(), report::format);
        assertEquals(List.of("init.gamma: random initialisation (differs between seeds), not checked"), report.skipped());
        assertTrue(report.format().contains("  skipped init.gamma: random initialisation"), report::format);
    }

    /** The dyt fixture with alpha replaced (the expected values stay those of the original alpha). */
    private static ReferenceFixture withAlpha(ReferenceFixture dyt, double alpha) throws IOException {
        ObjectMapper json = new ObjectMapper();
        try (InputStream in = ConformanceKitTest.class.getResourceAsStream("/fixtures/dyt.json")) {
            ObjectNode root = (ObjectNode) json.readTree(in);
            root.putArray("alpha").add(alpha);
            return ReferenceFixture.load("dyt-wrong-alpha.json", new ByteArrayInputStream(json.writeValueAsBytes(root)));
        }
    }

    @Test
    void worstIndexIsUnravelledRowMajor() {
        assertArrayEquals(new long[] {1, 2, 3, 4}, QuantityCheck.unravel(((1 * 3 + 2) * 4 + 3) * 5 + 4, new long[] {2, 3, 4, 5}));
    }
}

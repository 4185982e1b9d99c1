package org.example.dyt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.normlab.norm.NormRegistry;
import org.normlab.norm.conformance.ConformanceKit;
import org.normlab.norm.conformance.ConformanceReport;
import org.normlab.norm.conformance.QuantityCheck;
import org.normlab.norm.conformance.ReferenceFixture;
import org.normlab.norm.conformance.Tolerance;

/** The plugin against its PyTorch fixture (reference/dynamic_tanh.py through bench/make_fixture.py). */
class DynamicTanhConformanceTest {

    private static ReferenceFixture fixture() throws Exception {
        return ReferenceFixture.load(Path.of("src/test/resources/fixtures/dyt.json"));
    }

    @Test
    void matchesPyTorch() throws Exception {
        ReferenceFixture fixture = fixture();
        ConformanceReport report = ConformanceKit.check(NormRegistry.load(), "dyt", fixture);
        assertTrue(report.passed(), report::format);
        List<String> expected = new ArrayList<>(List.of("train.y", "train.grad_x", "eval.y"));
        fixture.parameters().keySet().forEach(p -> expected.add("train.grad_" + p));
        fixture.init().keySet().forEach(p -> expected.add("init." + p));
        List<String> checked = report.checks().stream().map(QuantityCheck::quantity).toList();
        assertTrue(checked.containsAll(expected) && checked.contains("init.alpha"), () -> "missing " + expected + " in " + report.format());
    }

    @Test
    void anotherAlphaInitFailsOnTheInitialisedAlphaOnly() throws Exception {
        ConformanceReport report =
                ConformanceKit.check(NormRegistry.load(), "dyt", Map.of("alpha_init", 1.0), fixture(), Tolerance.DEFAULT);
        assertEquals(List.of("init.alpha"), report.failures().stream().map(QuantityCheck::quantity).toList(), report::format);
        assertTrue(report.failures().get(0).toString().contains("worst at (scalar)"), report::format);
    }
}

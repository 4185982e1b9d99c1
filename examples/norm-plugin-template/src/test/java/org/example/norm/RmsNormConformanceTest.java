package org.example.norm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.normlab.norm.NormRegistry;
import org.normlab.norm.conformance.ConformanceKit;
import org.normlab.norm.conformance.ConformanceReport;
import org.normlab.norm.conformance.QuantityCheck;
import org.normlab.norm.conformance.ReferenceFixture;

/** The plugin against its PyTorch fixture (reference/rms_norm.py through bench/make_fixture.py). */
class RmsNormConformanceTest {

    @Test
    void matchesPyTorch() throws Exception {
        ReferenceFixture fixture = ReferenceFixture.load(Path.of("src/test/resources/fixtures/rms.json"));
        ConformanceReport report = ConformanceKit.check(NormRegistry.load(), "rms", fixture);
        assertTrue(report.passed(), report::format);
        // Every quantity the fixture defines was checked (the list follows the fixture, so adding a
        // parameter or a running statistic to the layer and its reference needs no change here).
        List<String> expected = new ArrayList<>(List.of("train.y", "train.grad_x", "eval.y"));
        fixture.parameters().keySet().forEach(p -> expected.add("train.grad_" + p));
        fixture.runningStats().forEach(s -> expected.add("train.running_" + s + "_after"));
        List<String> checked = report.checks().stream().map(QuantityCheck::quantity).toList();
        assertTrue(checked.containsAll(expected), () -> "missing " + expected + " in " + report.format());
    }
}

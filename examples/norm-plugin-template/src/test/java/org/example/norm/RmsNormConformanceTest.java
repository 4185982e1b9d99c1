package org.example.norm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.normlab.norm.NormRegistry;
import org.normlab.norm.conformance.ConformanceKit;
import org.normlab.norm.conformance.ConformanceReport;
import org.normlab.norm.conformance.ReferenceFixture;

/** The plugin against its PyTorch fixture (reference/rms_norm.py through bench/make_fixture.py). */
class RmsNormConformanceTest {

    @Test
    void matchesPyTorch() throws Exception {
        ReferenceFixture fixture = ReferenceFixture.load(Path.of("src/test/resources/fixtures/rms.json"));
        ConformanceReport report = ConformanceKit.check(NormRegistry.load(), "rms", fixture);
        assertTrue(report.passed(), report::format);
        // train.y, grad_x, grad_gamma, grad_beta, eval.y: no running statistics
        assertEquals(5, report.checks().size(), report::format);
    }
}

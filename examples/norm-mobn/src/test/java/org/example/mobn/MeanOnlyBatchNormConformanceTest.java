package org.example.mobn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.normlab.norm.NormRegistry;
import org.normlab.norm.conformance.ConformanceKit;
import org.normlab.norm.conformance.ConformanceReport;
import org.normlab.norm.conformance.QuantityCheck;
import org.normlab.norm.conformance.ReferenceFixture;

/** The plugin against its PyTorch fixture (reference/mean_only_bn.py through bench/make_fixture.py). */
class MeanOnlyBatchNormConformanceTest {

    @Test
    void matchesPyTorchWithARunningMeanAndNoVariance() throws Exception {
        ReferenceFixture fixture = ReferenceFixture.load(Path.of("src/test/resources/fixtures/mobn.json"));
        assertEquals(List.of("mean"), fixture.runningStats());
        ConformanceReport report = ConformanceKit.check(NormRegistry.load(), "mobn", fixture);
        assertTrue(report.passed(), report::format);
        List<String> checked = report.checks().stream().map(QuantityCheck::quantity).toList();
        assertTrue(checked.containsAll(List.of("init.beta", "train.y", "train.grad_x", "train.grad_beta",
                "train.running_mean_after", "eval.y")), report::format);
    }
}

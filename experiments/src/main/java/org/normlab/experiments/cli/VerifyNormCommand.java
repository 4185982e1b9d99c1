package org.normlab.experiments.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.normlab.results.UserError;
import org.normlab.norm.NormRegistry;
import org.normlab.norm.conformance.ConformanceKit;
import org.normlab.norm.conformance.ConformanceReport;
import org.normlab.norm.conformance.ReferenceFixture;
import org.normlab.norm.conformance.Tolerance;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code verify-norm FIXTURE.json [--norm NAME]}: the conformance kit from the command line. */
@Command(name = "verify-norm", mixinStandardHelpOptions = true,
        description = {"Check a norm plugin against a PyTorch reference fixture (train output, running stats,",
                "gradients of input and parameters, eval output). Exit 0 if all within tolerance, 1 otherwise."})
public class VerifyNormCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FIXTURE.json", description = {"fixture as bench/make_fixture.py writes it (PyTorch, float64); the shipped",
            "ones are in norm-api/src/test/resources/fixtures and norm-*/src/test/resources/fixtures"})
    Path fixture;

    @Option(names = "--norm", paramLabel = "NAME", description = "the norm to check (default: the fixture's kind)")
    String norm;

    @Option(names = "--option", paramLabel = "KEY=VALUE", description = "an option of the norm (repeatable)")
    Map<String, String> options = new LinkedHashMap<>();

    @Option(names = "--rtol", description = "relative tolerance (default ${DEFAULT-VALUE})")
    double rtol = Tolerance.DEFAULT.relative();

    @Option(names = "--atol", description = "absolute tolerance floor (default ${DEFAULT-VALUE})")
    double atol = Tolerance.DEFAULT.absolute();

    @Mixin CommonOptions common;

    @Override
    public Integer call() {
        ReferenceFixture f;
        try {
            f = ReferenceFixture.load(fixture);
        } catch (IOException e) {
            throw new UserError(e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        String name = norm != null ? norm : f.kind();
        if (name == null) {
            throw new UserError(fixture + ": the fixture has no 'kind'; name the norm with --norm");
        }
        NormRegistry registry = common.registry();
        ConformanceReport report;
        try {
            report = ConformanceKit.check(registry, name, options, f, new Tolerance(rtol, atol));
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        System.out.println(report.format());
        return report.passed() ? 0 : 1;
    }
}

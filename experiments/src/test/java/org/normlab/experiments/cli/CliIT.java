package org.normlab.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The CLI contract, on the built fat jar. */
class CliIT {

    @TempDir Path dir;

    @Test
    void normsListsEveryBuiltInPluginWithItsOptions() throws Exception {
        Jar.Run run = Jar.run(dir, "norms");
        assertEquals(0, run.exit(), run.all());
        List<String> lines = run.out().lines().toList();
        for (String name : List.of("bn", "iebn", "constant", "gaussian", "ghost")) {
            assertTrue(lines.stream().anyMatch(l -> l.startsWith(name + " ")), name + " missing:\n" + run.out());
        }
        String iebn = lines.stream().filter(l -> l.startsWith("iebn ")).findFirst().orElseThrow();
        assertTrue(iebn.contains("eps=1.0E-5") && iebn.contains("momentum=0.1") && iebn.contains("affine=true"), iebn);
        String constant = lines.stream().filter(l -> l.startsWith("constant ")).findFirst().orElseThrow();
        assertTrue(constant.contains("inner=bn") && constant.contains("a=1.5") && constant.contains("b=0.5"), constant);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bn", "iebn"})
    void verifyNormPassesThePyTorchFixtures(String kind) throws Exception {
        Jar.Run run = Jar.run(dir, "verify-norm", Jar.fixture(kind));
        assertEquals(0, run.exit(), run.all());
        assertTrue(run.out().contains("train.grad_x") && run.out().contains("eval.y"), run.out());
        assertEquals("PASS", run.lastLine());
    }

    @Test
    void verifyNormFailsWithExitOneWhenANormIsOutOfTolerance() throws Exception {
        // DJL's momentum convention in place of PyTorch's: the running statistics must fail.
        Jar.Run run = Jar.run(dir, "verify-norm", Jar.fixture("bn"), "--option", "momentum=0.9");
        assertEquals(1, run.exit(), run.all());
        assertTrue(run.out().contains("train.running_mean_after") && run.out().contains("FAIL"), run.out());
    }

    @Test
    void verifyNormOfTheWrongNormIsAClearError() throws Exception {
        Jar.Run run = Jar.run(dir, "verify-norm", Jar.fixture("bn"), "--norm", "iebn");
        assertEquals(2, run.exit(), run.all());
        assertTrue(run.err().contains("weight_readjust"), run.err());
        assertFalse(run.err().contains("\tat "), "no stack trace without --verbose:\n" + run.err());
    }

    @Test
    void verifyNormOfAFileThatIsNotJsonIsAClearError() throws Exception {
        Path bad = dir.resolve("bad.json");
        java.nio.file.Files.writeString(bad, "{\"kind\": \"bn\", ");
        Jar.Run run = Jar.run(dir, "verify-norm", bad.toString());
        assertEquals(2, run.exit(), run.all());
        assertTrue(run.err().contains("bad.json") && run.err().contains("not a valid JSON"), run.err());
    }

    @ParameterizedTest
    @CsvSource({
        "resnet18, 10, bn, same, 11181642",
        "resnet18, 10, iebn, same, 11191242",
        "resnet20, 10, bn, same, 269722",
        "resnet20, 10, iebn, same, 271098",
        "resnet164, 100, bn, same, 1727284",
        "resnet164, 100, iebn, bn, 1751508",
    })
    void paramsPrintsTheTrainableCountOnItsLastLine(String model, int classes, String norm, String shortcut, long expected)
            throws Exception {
        Jar.Run run = Jar.run(dir, "params", "--model", model, "--classes", String.valueOf(classes), "--norm", norm,
                "--shortcut-norm", shortcut, "--input", "3x32x32");
        assertEquals(0, run.exit(), run.all());
        assertEquals(String.valueOf(expected), run.lastLine());
    }

    @ParameterizedTest
    @ValueSource(strings = {"norms", "verify-norm", "params", "bench", "report"})
    void everyCommandHasHelp(String command) throws Exception {
        Jar.Run run = Jar.run(dir, command, "--help");
        assertEquals(0, run.exit(), run.all());
        assertTrue(run.out().startsWith("Usage: experiments.jar " + command), run.out());
    }

    @Test
    void topLevelHelpNamesTheSweepFile() throws Exception {
        Jar.Run run = Jar.run(dir, "--help");
        assertEquals(0, run.exit(), run.all());
        assertTrue(run.out().contains("SWEEP.yaml") && run.out().contains("--dry-run") && run.out().contains("--set"), run.out());
    }

    @Test
    void unknownModelIsAClearError() throws Exception {
        Jar.Run run = Jar.run(dir, "params", "--model", "resnet21");
        assertEquals(2, run.exit(), run.all());
        assertTrue(run.err().startsWith("error: --model resnet21:"), run.err());
    }
}

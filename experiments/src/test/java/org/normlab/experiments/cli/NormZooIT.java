package org.normlab.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The shipped norms through the fat jar: listed with their source, counted, verified. */
class NormZooIT {

    @TempDir Path dir;

    @Test
    void normsListsEveryShippedNormAsBuiltIn() throws Exception {
        Jar.Run run = Jar.run(dir, "norms");
        assertEquals(0, run.exit(), run.all());
        List<String> lines = run.out().lines().toList();
        for (String name : List.of("bn", "iebn", "gn", "ln", "in", "brn", "frn", "evonorm_b0", "evonorm_s0")) {
            int at = lines.indexOf(lines.stream().filter(l -> l.startsWith(name + " ")).findFirst()
                    .orElseThrow(() -> new AssertionError(name + " missing:\n" + run.out())));
            assertTrue(lines.get(at + 1).trim().startsWith("from built in, version 0.1.0-SNAPSHOT"), lines.get(at + 1));
        }
    }

    /** resnet20: bn's 269,722 for every norm of 2 parameters per channel; frn's tau +352. */
    @ParameterizedTest
    @CsvSource({"bn, 269722", "gn, 269722", "brn, 269722", "frn, 270074", "evonorm_s0, 270074"})
    void paramsCountsTrainableParameters(String norm, long expected) throws Exception {
        Jar.Run run = Jar.run(dir, "params", "--model", "resnet20", "--classes", "10", "--norm", norm);
        assertEquals(0, run.exit(), run.all());
        List<String> lines = run.out().lines().toList();
        assertEquals(Long.toString(expected), lines.get(lines.size() - 1), run.out());
    }

    @Test
    void strictGroupsThatDoNotFitAModelLayerAreAnErrorNamingItsChannels() throws Exception {
        Jar.Run run = Jar.run(dir, "params", "--model", "resnet20", "--classes", "10", "--norm", "gn",
                "--norm-option", "groups=32", "--norm-option", "strict=true");
        assertEquals(2, run.exit(), run.all());
        assertTrue(run.err().contains("--norm gn: norm 'gn': groups 32 do not divide the 16 channels"), run.err());
        Jar.Run fits = Jar.run(dir, "params", "--model", "resnet20", "--classes", "10", "--norm", "gn",
                "--norm-option", "groups=16", "--norm-option", "strict=true");
        assertEquals(0, fits.exit(), fits.all());
    }

    @Test
    void verifyNormChecksAShippedFixtureAndNamesTheWorstElementOnFailure() throws Exception {
        String fixture = Jar.PROJECT.resolve("norm-group/src/test/resources/fixtures/gn-2x8x5x5.json").toString();
        Jar.Run run = Jar.run(dir, "verify-norm", fixture);
        assertEquals(0, run.exit(), run.all());
        Jar.Run wrong = Jar.run(dir, "verify-norm", fixture, "--option", "groups=2");
        assertEquals(1, wrong.exit(), wrong.all());
        assertTrue(wrong.out().lines().anyMatch(l -> l.contains("train.y") && l.contains("worst at (N,C,H,W)=(")
                && l.contains("expected ") && l.contains("actual ") && l.contains("allowed ")), wrong.out());
    }
}

package org.normlab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.normlab.results.UserError;

/** Bad folders and files give messages that say what and where. */
class InputErrorsTest {

    @TempDir Path tmp;

    @Test
    void aMissingFolderIsNamed() {
        UserError e = assertThrows(UserError.class, () -> Reports.build(List.of(tmp.resolve("nope"))));
        assertTrue(e.getMessage().contains("nope") && e.getMessage().contains("no such folder"), e.getMessage());
    }

    @Test
    void theParentOfSweepFoldersGetsAHint() {
        NormSweep.write(tmp.resolve("norms"));
        UserError e = assertThrows(UserError.class, () -> Reports.build(List.of(tmp)));
        assertTrue(e.getMessage().contains("not a sweep's result folder") && e.getMessage().contains("[norms]"),
                e.getMessage());
    }

    @Test
    void aBrokenResultFileIsNamedWithItsPosition() throws Exception {
        NormSweep.write(tmp);
        Path file = tmp.resolve("bn-64-s1/result.json");
        Files.writeString(file, "{\"trial_id\": \"bn-64-s1\", \"status\": ");
        UserError e = assertThrows(UserError.class, () -> Reports.build(List.of(tmp)));
        assertTrue(e.getMessage().startsWith(file + ": not valid JSON: line 1"), e.getMessage());

        Files.writeString(file, "{\"trial_id\": \"bn-64-s1\", \"status\": \"done\"}");
        UserError status = assertThrows(UserError.class, () -> Reports.build(List.of(tmp)));
        assertTrue(status.getMessage().contains("unknown status 'done'; allowed: completed, diverged, failed"),
                status.getMessage());
    }

    @Test
    void aToleranceWithoutBaselineIsRefused() {
        NormSweep.write(tmp);
        CommandRunner r = CommandRunner.run(tmp.toString(), "--tolerance", "params=1");
        assertTrue(r.thrown instanceof UserError && r.thrown.getMessage().contains("--baseline"), r.toString());
    }

    @Test
    void noFolderIsAUsageError() {
        assertEquals(2, CommandRunner.run().exitCode);
    }
}

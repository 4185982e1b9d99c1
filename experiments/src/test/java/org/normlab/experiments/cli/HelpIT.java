package org.normlab.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every command's --help, from the fat jar: exit 0, the usage on stdout, and not one warning. */
class HelpIT {

    private static final List<String> COMMANDS = List.of("norms", "verify-norm", "params", "bench", "report", "run", "merge",
            "k8s-job", "slurm", "doctor", "help");

    @TempDir Path work;

    @Test
    void everyCommandHasHelpWithoutWarnings() throws Exception {
        Jar.Run main = Jar.run(work, "--help");
        assertClean(main, "experiments.jar");
        assertEquals(COMMANDS, commandsListed(main.out()), "the commands the main help lists");
        for (String command : COMMANDS) {
            assertClean(Jar.run(work, command, "--help"), "experiments.jar " + command);
        }
    }

    private static void assertClean(Jar.Run run, String usage) {
        assertEquals(0, run.exit(), run.all());
        assertTrue(run.out().lines().anyMatch(l -> l.startsWith("Usage: " + usage + " ")), run.out());
        assertEquals("", run.err(), usage + " --help wrote to stderr");
        assertFalse(run.out().contains("WARN") || run.out().contains("%n"), run.out());
    }

    /** The names in the "Commands:" section: lines indented by two spaces, then a name. */
    private static List<String> commandsListed(String help) {
        List<String> names = new ArrayList<>();
        boolean inCommands = false;
        for (String line : help.lines().toList()) {
            if (line.equals("Commands:")) {
                inCommands = true;
            } else if (inCommands && line.isBlank()) {
                break;
            } else if (inCommands && line.matches(" {2}\\S.*")) {
                names.add(line.strip().split("\\s+")[0]);
            }
        }
        return names;
    }
}

package org.normlab.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.normlab.results.UserError;

/**
 * {@code report.dose_response} is a sweep-level key: checked against the grid when the sweep is
 * loaded (errors with file, line and column), written into sweep.yaml for the report, and not a
 * trial setting (trial ids stay).
 */
class ReportKeyTest {

    // 2 norms x 4 attack values x 2 batch sizes = 16 points; gn only under none and mix (exclude).
    private static final String GRID = String.join("\n",
            "name: noise",                                                                              // 1
            "data: {name: synthetic}",                                                                   // 2
            "grid:",                                                                                     // 3
            "  norm: {bn: {norm.name: bn}, gn: {norm.name: gn, norm.options: {groups: 8}}}",             // 4
            "  attack:",                                                                                 // 5
            "    none: {}",                                                                              // 6
            "    constant-0.25: {attack.name: constant, attack.options: {a: 1.25, b: 0.25, eval: true}}", // 7
            "    constant-1: {attack.name: constant, attack.options: {a: 2.0, b: 1.0, eval: true}}",     // 8
            "    mix-0.25: {data.name: mix, data.mix.ratio: 0.25}",                                      // 9
            "  data.batch_size: [16, 128]",                                                              // 10
            "exclude: [{norm: gn, attack.name: constant}]",                                              // 11
            "");

    private static final String FAMILIES = String.join("\n",
            "report:",                                                                                   // 12
            "  dose_response:",                                                                          // 13
            "    - {name: constant, where: {attack.name: constant}, strength: attack.options.b}",        // 14
            "    - {name: mix, where: {data.name: mix}, strength: data.mix.ratio}",                      // 15
            "");

    private static Sweep parse(String text, String... sets) {
        return SweepLoader.parse("s.yaml", text, List.of(sets));
    }

    private static String error(String report) {
        return assertThrows(UserError.class, () -> parse(GRID + report)).getMessage();
    }

    @Test
    void theKeyLoadsTravelsInSweepYamlAndLeavesTrialIdsAlone() {
        Sweep plain = parse(GRID);
        Sweep with = parse(GRID + FAMILIES);
        assertEquals(12, with.trials().size(), "16 points, 4 excluded");
        assertEquals(plain.trials().stream().map(Trial::id).toList(), with.trials().stream().map(Trial::id).toList());
        assertEquals("attack.options.b", with.document().path("report").path("dose_response").get(0).path("strength").asText());
        assertTrue(plain.document().path("report").isMissingNode());

        Sweep set = parse(GRID, "report.dose_response=[{name: mix, where: {data.name: mix}, strength: data.mix.ratio}]");
        assertEquals("mix", set.document().path("report").path("dose_response").get(0).path("name").asText());
    }

    @Test
    void badEntriesAreErrorsWhereTheyWereWritten() {
        startsWith("s.yaml:14:32: report.dose_response entry 1 (constant): where: unknown setting 'attack.nam' "
                + "(did you mean 'attack.name'?)",
                error("report:\n  dose_response:\n    - {name: constant, where: {attack.nam: constant}, strength: attack.options.b}\n"));
        startsWith("s.yaml:14:54: report.dose_response entry 1 (mix): strength: unknown setting 'data.mix.ration'",
                error("report:\n  dose_response:\n    - {name: mix, where: {data.name: mix}, strength: data.mix.ration}\n"));
        assertEquals("s.yaml:14:7: report.dose_response entry 1 (ghost): where {attack.name: ghost} matches no trial of the grid",
                error("report:\n  dose_response:\n    - {name: ghost, where: {attack.name: ghost}, strength: attack.options.b}\n"));
        // The excluded cells do not count: gn never runs under the constant attack.
        assertEquals("s.yaml:14:7: report.dose_response entry 1 (gn-constant): where {norm.name: gn, attack.name: constant} "
                + "matches no trial of the grid",
                error("report:\n  dose_response:\n    - {name: gn-constant, where: {norm.name: gn, attack.name: constant}, "
                        + "strength: attack.options.b}\n"));
        startsWith("s.yaml:14:66: report.dose_response entry 1 (constant): strength: attack.name is 'constant' in "
                + "grid point {norm=bn, attack=constant-0.25, data.batch_size=16}; it must be a number",
                error("report:\n  dose_response:\n    - {name: constant, where: {attack.name: constant}, strength: attack.name}\n"));
        assertEquals("s.yaml:13:3: report: unknown key 'dose_respons'; known keys: dose_response, dose_baseline",
                error("report:\n  dose_respons: []\n"));
        assertEquals("s.yaml:14:7: report.dose_response entry 1 has no 'strength'; each family needs name, where and strength",
                error("report:\n  dose_response:\n    - {name: mix, where: {data.name: mix}}\n"));
        assertEquals("s.yaml:15:14: report.dose_response: the family name 'mix' is given twice",
                error("report:\n  dose_response:\n    - {name: mix, where: {data.name: mix}, strength: data.mix.ratio}\n"
                        + "    - {name: mix, where: {attack.name: constant}, strength: attack.options.b}\n"));
    }

    private static void startsWith(String expected, String actual) {
        assertTrue(actual.startsWith(expected), actual);
    }
}

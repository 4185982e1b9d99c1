package org.normlab.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.normlab.results.UserError;

/**
 * {@code check:} adds each checked cell per seed at a multiple of its budget, after the main
 * trials, with its own trial id and the mark check.budget; bad settings are located errors.
 */
class ConvergenceCheckTest {

    // 2 norms x 3 attack values x 2 batch sizes (each with its steps) = 12 points, minus gn under
    // constant (4) = 8 points, x 2 seeds = 16 main trials.
    private static final String SWEEP = String.join("\n",
            "name: cc",
            "seeds: [1, 2]",
            "steps: 100",
            "data: {name: synthetic}",
            "grid:",
            "  norm.name: [bn, gn]",
            "  attack:",
            "    none: {}",
            "    c-0.5: {attack.name: constant, attack.options: {a: 1.5, b: 0.5}}",
            "    c-1: {attack.name: constant, attack.options: {a: 2.0, b: 1.0}}",
            "  batch:",
            "    '16': {data.batch_size: 16, steps: 500}",
            "    '128': {data.batch_size: 128, steps: 150}",
            "exclude:",
            "  - {norm.name: gn, attack.name: constant}",
            "");

    private static final String DOSE = String.join("\n",
            "report:",
            "  dose_response:",
            "    - {name: constant, where: {attack.name: constant}, strength: attack.options.b}",
            "");

    private static Sweep parse(String extra) {
        return SweepLoader.parse("s.yaml", SWEEP + extra, List.of());
    }

    private static String error(String extra) {
        return assertThrows(UserError.class, () -> parse(extra)).getMessage();
    }

    private static List<Trial> checks(Sweep s) {
        return s.trials().stream().filter(t -> t.swept().containsKey("check.budget")).toList();
    }

    private static Set<String> cells(Sweep s) {
        return checks(s).stream().map(t -> t.swept().get("norm.name") + "/" + t.swept().get("attack") + "/"
                + t.swept().get("batch")).collect(Collectors.toSet());
    }

    @Test
    void namedCellsRunAfterTheMainTrialsAtTwiceTheirSteps() {
        Sweep s = parse("check: {budget: 2, cells: [{attack: c-1, norm.name: bn}, {norm.name: gn, batch: '16'}]}\n");
        assertEquals(16 + 2 * 3, s.trials().size());
        assertEquals(Set.of("bn/c-1/16", "bn/c-1/128", "gn/none/16"), cells(s));
        List<Trial> checks = checks(s);
        assertEquals(6, checks.size());
        assertEquals(s.trials().subList(16, 22), checks, "check trials come after the main ones");
        for (Trial t : checks) {
            Trial main = s.trials().stream().filter(m -> !m.swept().containsKey("check.budget") && m.seed() == t.seed()
                    && m.swept().equals(withoutMark(t))).findFirst().orElseThrow();
            int steps = main.resolved().get("steps").asInt();
            assertEquals(t.swept().get("batch").equals("16") ? 500 : 150, steps);
            assertEquals(2 * steps, t.resolved().get("steps").asInt());
            assertEquals(2 * steps, t.config().steps());
            assertEquals(2, t.swept().get("check.budget"));
            assertTrue(!t.id().equals(main.id()), t.id());
            assertEquals(main.resolved().deepCopy().without("steps"), t.resolved().deepCopy().without("steps"), "only steps differ");
        }
        assertEquals(List.of("norm.name", "attack", "batch", "check.budget"), s.axes());
        assertEquals(parse("").trials().stream().map(Trial::id).toList(),
                s.trials().subList(0, 16).stream().map(Trial::id).toList(), "check: leaves the main trials' ids as they were");
        assertEquals(2, s.document().get("check").get("budget").asInt());
    }

    @Test
    void withADoseSpecTheDefaultIsTheBaselineAndTheStrongestDoseOfEachFamily() {
        Sweep s = parse(DOSE + "check: {budget: 3}\n");
        // none for bn and gn, c-1 (b = 1, the strongest) for bn; each at both batch sizes
        assertEquals(Set.of("bn/none/16", "bn/none/128", "gn/none/16", "gn/none/128", "bn/c-1/16", "bn/c-1/128"), cells(s));
        assertEquals(12, checks(s).size());
        checks(s).forEach(t -> assertEquals(3 * (t.swept().get("batch").equals("16") ? 500 : 150), t.config().steps()));
    }

    @Test
    void anEpochsBudgetDoublesTheEpochs() {
        Sweep s = SweepLoader.parse("s.yaml", String.join("\n", "name: e", "epochs: 3", "data: {name: synthetic}",
                "grid: {norm.name: [bn, gn]}", "check: {budget: 2, cells: [{norm.name: gn}]}", ""), List.of());
        assertEquals(3, s.trials().size());
        assertEquals(6, checks(s).get(0).config().epochs());
        assertEquals(3, s.trials().get(1).config().epochs());
    }

    @Test
    void noCheckNoCheckTrialsAndTheAxesAsBefore() {
        Sweep s = parse("");
        assertEquals(16, s.trials().size());
        assertEquals(List.of("norm.name", "attack", "batch"), s.axes());
    }

    @Test
    void setOverridesTheCheckOrTurnsItOff() {
        String text = SWEEP + DOSE + "check: {budget: 2}\n";
        assertEquals(12, checks(SweepLoader.parse("s.yaml", text, List.of())).size());
        assertEquals(0, checks(SweepLoader.parse("s.yaml", text, List.of("check=null"))).size());
        Sweep three = SweepLoader.parse("s.yaml", text, List.of("check.budget=3", "check.tolerance=0.01"));
        checks(three).forEach(t -> assertEquals(3, t.swept().get("check.budget")));
        assertEquals(0.01, three.document().get("check").get("tolerance").asDouble());
        Sweep named = SweepLoader.parse("s.yaml", text, List.of("check.cells=[{attack: c-0.5}]"));
        assertEquals(Set.of("bn/c-0.5/16", "bn/c-0.5/128"), cells(named));
    }

    @Test
    void badSettingsAreLocatedErrors() {
        String[][] cases = {
            {"check: {budget: 1, cells: [{attack: none}]}\n", "s.yaml:16:", "check.budget: must be an integer of at least 2"},
            {"check: {budget: 1.5, cells: [{attack: none}]}\n", "s.yaml:16:", "(got '1.5')"},
            {"check: {cells: [{attack: none}]}\n", "s.yaml:16:", "(it is not set)"},
            {"check: {budget: 2, cels: [{attack: none}]}\n", "s.yaml:16:", "check: unknown key 'cels' (did you mean 'cells'?)"},
            {"check: {budget: 2}\n", "s.yaml:16:", "check: name the cells to run at 2x the budget with 'cells'"},
            {"check: {budget: 2, cells: [{attack: strong}]}\n", "s.yaml:16:", "check.cells: attack: 'strong' is not a value of the grid"},
            {"check: {budget: 2, cells: [{model.depth: 20}]}\n", "s.yaml:16:", "'model.depth' is not swept by the grid; check.cells names grid keys"},
            {"check: {budget: 2, cells: [{norm.name: gn, attack: c-1}]}\n", "s.yaml:16:", "check.cells: entry 1: {norm.name: gn, attack: c-1} matches no grid point that runs"},
            {"check: {budget: 2, tolerance: 0}\n", "s.yaml:16:", "check.tolerance: must be a number in (0, 1]"},
            {"check: 2\n", "s.yaml:16:", "'check' must be a mapping"},
        };
        for (String[] c : cases) {
            String message = error(c[0]);
            assertTrue(message.contains(c[1]) && message.contains(c[2]), c[0] + " -> " + message);
        }
        assertEquals(10, cases.length);
    }

    private static java.util.Map<String, Object> withoutMark(Trial t) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>(t.swept());
        m.remove("check.budget");
        return m;
    }
}

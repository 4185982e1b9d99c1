package org.normlab.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.normlab.results.UserError;

/** {@code exclude:} drops exactly the grid points that match an entry; bad entries are located errors. */
class ExclusionsTest {

    // 3 norms x 3 attack values (a named axis) x 2 depths = 18 points, x 2 seeds.
    private static final String SWEEP = String.join("\n",
            "name: ex",
            "seeds: [1, 2]",
            "data: {name: synthetic}",
            "grid:",
            "  norm.name: [bn, iebn, gn]",
            "  attack:",
            "    none: {}",
            "    weak: {attack.name: constant, attack.options: {a: 1.25, b: 0.25}}",
            "    noisy: {attack.name: gaussian}",
            "  model.depth: [20, 56]",
            "");

    private static Sweep parse(String exclude) {
        return SweepLoader.parse("s.yaml", SWEEP + "exclude:\n" + exclude, List.of());
    }

    private static String error(String exclude) {
        return assertThrows(UserError.class, () -> parse(exclude)).getMessage();
    }

    private static Set<String> points(Sweep s) {
        return s.trials().stream().map(t -> t.swept().get("norm.name") + "/" + t.swept().get("attack") + "/"
                + t.swept().get("model.depth")).collect(Collectors.toSet());
    }

    @Test
    void aSettingThatANamedAxisSetsMatchesEveryValueThatSetsIt() {
        Sweep s = parse("  - {norm.name: gn, attack.name: constant}\n");
        assertEquals(18 - 2, s.trials().size() / 2);
        assertEquals(32, s.trials().size());
        assertEquals(2, s.excluded().size());
        assertTrue(points(s).stream().noneMatch(p -> p.startsWith("gn/weak/")), points(s).toString());
        assertTrue(points(s).contains("gn/noisy/20") && points(s).contains("iebn/weak/56"), points(s).toString());
        assertEquals(Map.of("norm.name", "gn", "attack", "weak", "model.depth", 20L), s.excluded().get(0).point());
        assertEquals("exclude 1: {norm.name: gn, attack.name: constant}", s.excluded().get(0).by());
    }

    @Test
    void aNamedAxisMatchesByItsLabelAndEntriesAddUp() {
        Sweep s = parse("  - {attack: noisy}\n  - {norm.name: bn, model.depth: 56}\n");
        // noisy: 3 norms x 2 depths = 6; bn at 56 among the rest: none, weak = 2.
        assertEquals(8, s.excluded().size());
        assertEquals(10 * 2, s.trials().size());
        assertTrue(points(s).stream().noneMatch(p -> p.contains("/noisy/") || p.startsWith("bn/") && p.endsWith("/56")));
        assertEquals(6, s.excluded().stream().filter(x -> x.by().startsWith("exclude 1:")).count());
        // Numbers match by value, and the ids of the trials that stay are those of the full grid.
        Sweep full = SweepLoader.parse("s.yaml", SWEEP, List.of());
        Set<String> ids = full.trials().stream().map(Trial::id).collect(Collectors.toSet());
        assertTrue(s.trials().stream().allMatch(t -> ids.contains(t.id())));
        assertEquals(8, parse("  - {attack: noisy}\n  - {norm.name: bn, model.depth: 56.0}\n").excluded().size());
        assertEquals(List.of(0, 1, 2), s.trials().stream().limit(3).map(Trial::index).toList());
    }

    @Test
    void badEntriesAreErrorsWhereTheyWereWritten() {
        // the exclude list starts on line 12
        assertEquals("s.yaml:12:17: exclude: norm.name: 'gm' is not a value of the grid (did you mean 'gn'?); "
                + "its values: bn, iebn, gn", error("  - {norm.name: gm}\n"));
        assertTrue(error("  - {norm.nam: gn}\n").startsWith("s.yaml:12:6: exclude: unknown setting 'norm.nam' "
                + "(did you mean 'norm.name'?)"), error("  - {norm.nam: gn}\n"));
        assertEquals("s.yaml:12:6: exclude: 'epochs' is not swept by the grid; exclude names grid keys: "
                + "norm.name, attack, model.depth, attack.name, attack.options", error("  - {epochs: 3}\n"));
        assertEquals("s.yaml:12:29: exclude: attack: 'strong' is not a value of the grid; its values: none, weak, noisy",
                error("  - {norm.name: gn, attack: strong}\n"));
        assertTrue(error("  - {attack: none, attack.name: gaussian}\n")
                .startsWith("s.yaml:12:5: exclude: entry 1: {attack: none, attack.name: gaussian} matches no grid point"));
        assertTrue(error("  - gn\n").startsWith("s.yaml:12:5: each exclude entry must be a non-empty mapping"));
        String notAList = assertThrows(UserError.class, () -> SweepLoader.parse("s.yaml", SWEEP + "exclude: {norm.name: gn}\n",
                List.of())).getMessage();
        assertTrue(notAList.startsWith("s.yaml:11:10: 'exclude' must be a list"), notAList);
        assertEquals("s.yaml:12:3: exclude drops every grid point; nothing would run",
                error("  - {model.depth: 20}\n  - {model.depth: 56}\n"));
    }
}

package org.normlab.experiments.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.Guice;
import com.google.inject.Injector;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.normlab.results.UserError;
import org.normlab.config.Sweep;
import org.normlab.config.SweepLoader;
import org.normlab.experiments.wiring.CoreModule;
import org.normlab.norm.NormRegistry;

/** A grid crossing norms with attacks where one norm cannot be attacked: the error names the exclude entry that fixes it. */
class AttackGridTest {

    private static final String SWEEP = String.join("\n",
            "name: cross",
            "data:",
            "  name: synthetic",
            "  batch_size: 8",
            "  synthetic: {classes: 3, channels: 1, size: 8, train: 16, val: 8}",
            "model: {name: cifar_resnet, depth: 8}",
            "grid:",
            "  norm.name: [bn, gn]",
            "  attack:",
            "    none: {}",
            "    strong: {attack.name: constant, attack.options: {a: 2.0, b: 1.0}}",
            "");

    private final Injector core = Guice.createInjector(new CoreModule(NormRegistry.load()));

    private void validate(Sweep sweep) {
        core.getInstance(SweepValidator.class).validate(sweep, sweep.locator());
    }

    @Test
    void theErrorSuggestsTheExcludeEntryAndTheEntryMakesTheGridValid() throws Exception {
        Sweep crossed = SweepLoader.parse("s.yaml", SWEEP, List.of());
        String message = assertThrows(UserError.class, () -> validate(crossed)).getMessage();
        assertTrue(message.startsWith("s.yaml:11:27: attack.name: norm 'constant' cannot wrap norm 'gn': "), message);
        String hint = "; to leave this combination out of the grid, add to the sweep file: "
                + "exclude: [{norm.name: gn, attack.name: constant}]";
        assertEquals(hint, message.substring(message.length() - hint.length()), message);

        Sweep excluded = SweepLoader.parse("s.yaml", SWEEP + "exclude: [{norm.name: gn, attack.name: constant}]\n", List.of());
        validate(excluded);
        assertEquals(3, excluded.trials().size());
        assertEquals(1, excluded.excluded().size());

        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        SweepRunner runner = new SweepRunner(core.getInstance(SweepRunner.Parts.class),
                new java.io.PrintStream(printed, true, java.nio.charset.StandardCharsets.UTF_8), dir -> dir);
        assertEquals(0, runner.run(excluded, new SweepRunner.Options(tmp, true, null)));
        String out = printed.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(out.startsWith("sweep cross: 3 trials (3 grid points x 1 seeds)\n"
                + "excluded 1 grid point(s) (x 1 seeds):\n"
                + "       norm=gn attack=strong  (exclude 1: {norm.name: gn, attack.name: constant})\n"), out);
        assertEquals(3, out.lines().filter(l -> l.matches("\\s+\\d+  [0-9a-f]{10}  seed=0 .*")).count(), out);
        assertTrue(!java.nio.file.Files.exists(tmp.resolve("cross")), "a dry run writes nothing");
    }

    @org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp;
}

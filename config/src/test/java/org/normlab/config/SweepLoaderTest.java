package org.normlab.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.normlab.results.UserError;

class SweepLoaderTest {

    private static final String SWEEP = String.join("\n",
            "name: demo",
            "seeds: [1, 2]",
            "epochs: 3",
            "data:",
            "  name: synthetic",
            "  batch_size: 32",
            "grid:",
            "  norm.name: [bn, iebn]",
            "  model.depth: [20, 56]",
            "");

    private static Sweep parse(String text, String... sets) {
        return SweepLoader.parse("s.yaml", text, List.of(sets));
    }

    private static String error(String text, String... sets) {
        return assertThrows(UserError.class, () -> parse(text, sets)).getMessage();
    }

    @Test
    void expandsTheGridTimesSeedsInFileOrder() {
        Sweep s = parse(SWEEP);
        assertEquals(8, s.trials().size());
        assertEquals(List.of("norm.name", "model.depth"), s.axes());
        Trial first = s.trials().get(0);
        assertEquals(Map.of("norm.name", "bn", "model.depth", 20L), first.swept());
        assertEquals(1L, first.seed());
        assertEquals(2L, s.trials().get(1).seed());
        Trial last = s.trials().get(7);
        assertEquals("iebn", last.config().norm().name());
        assertEquals(56, last.config().model().depth());
        assertEquals(32, last.config().data().batchSize());
        assertEquals(3, last.config().epochs());
        // defaults fill what the file leaves out
        assertEquals(0.9, last.config().optimizer().momentum());
    }

    @Test
    void trialIdsAreStableAndDistinct() {
        List<String> ids = parse(SWEEP).trials().stream().map(Trial::id).toList();
        assertEquals(ids, parse(SWEEP).trials().stream().map(Trial::id).toList());
        assertEquals(ids.size(), ids.stream().distinct().count());
        // A setting that changes the trial changes its id; the file's layout does not.
        String reordered = SWEEP.replace("seeds: [1, 2]\nepochs: 3", "epochs: 3\nseeds: [1, 2]");
        assertEquals(ids, parse(reordered).trials().stream().map(Trial::id).toList());
        assertNotEquals(ids.get(0), parse(SWEEP, "epochs=4").trials().get(0).id());
    }

    @Test
    void namedAxesSetSeveralKeysAndReportTheirLabel() {
        String text = SWEEP + "  attack:\n    none: {}\n    strong: {attack.name: constant, attack.options: {a: 2.0, b: 1.0}}\n";
        Sweep s = parse(text);
        assertEquals(16, s.trials().size());
        Trial strong = s.trials().stream().filter(t -> "strong".equals(t.swept().get("attack"))).findFirst().orElseThrow();
        assertEquals("constant", strong.config().attack().name());
        assertEquals(2.0, ((Number) strong.config().attack().options().get("a")).doubleValue());
    }

    @Test
    void setOverridesSettingsAndGridAxes() {
        Sweep s = parse(SWEEP, "epochs=7", "grid.model.depth=[32]", "data.batch_size=8");
        assertEquals(4, s.trials().size());
        assertEquals(7, s.trials().get(0).config().epochs());
        assertEquals(32, s.trials().get(0).config().model().depth());
        assertEquals(8, s.trials().get(0).config().data().batchSize());
    }

    @Test
    void malformedYamlNamesLineAndColumn() {
        String e = error("name: x\ndata: [1, 2\nepochs: 3\n");
        assertTrue(e.startsWith("s.yaml:3:"), e);
        assertTrue(e.contains("malformed YAML"), e);
    }

    @Test
    void unknownKeyNamesItsPlaceAndTheNearestKey() {
        String e = error(SWEEP.replace("  batch_size: 32", "  batch_sise: 32"));
        assertTrue(e.startsWith("s.yaml:6:3: unknown setting 'data.batch_sise' (did you mean 'batch_size'?)"), e);
    }

    @Test
    void unknownGridKeyIsReportedAtTheGridEntry() {
        String e = error(SWEEP.replace("model.depth:", "model.dept:"));
        assertTrue(e.startsWith("s.yaml:9:3: unknown setting 'model.dept' (did you mean 'model.depth'?)"), e);
    }

    @Test
    void wrongTypeNamesTheKey() {
        String e = error(SWEEP.replace("epochs: 3", "epochs: three"));
        assertTrue(e.startsWith("s.yaml:3:9: epochs: wrong type"), e);
    }

    @Test
    void outOfRangeValueFromTheGridPointsAtTheGridValue() {
        String e = error(SWEEP + "  data.batch_size: [16, 0]\n");
        assertTrue(e.startsWith("s.yaml:10:25: data.batch_size: must be at least 1 (got 0)"), e);
    }

    @Test
    void emptyGridAndSeedListsAreRejected() {
        assertTrue(error(SWEEP.replace("[bn, iebn]", "[]")).startsWith("s.yaml:8:14: grid axis 'norm.name' has no values"));
        assertTrue(error(SWEEP.replace("seeds: [1, 2]", "seeds: []")).startsWith("s.yaml:2:8: 'seeds' must be a non-empty list"));
    }

    @Test
    void missingNameIsRejected() {
        assertTrue(error(SWEEP.replace("name: demo\n", "")).contains("'name' must be given"));
    }

    @Test
    void aMisspeltRequiredKeyIsReportedAsAnUnknownKeyNotAsMissing() {
        String e = error(SWEEP.replace("name: demo", "nmae: demo"));
        assertTrue(e.startsWith("s.yaml:1:1: unknown setting 'nmae' (did you mean 'name'?); known keys here: "), e);
        assertTrue(e.contains("description, device, epochs,") && !e.contains("must be given"), e);
        // also when another key comes first, and for the sweep-level keys that are not required
        e = error(SWEEP.replace("epochs: 3", "epochs: 3\nnaem: demo").replace("name: demo\n", ""));
        assertTrue(e.startsWith("s.yaml:3:1: unknown setting 'naem' (did you mean 'name'?)"), e);
        e = error(SWEEP.replace("seeds:", "seds:"));
        assertTrue(e.startsWith("s.yaml:2:1: unknown setting 'seds' (did you mean 'seeds'?)"), e);
    }

    @Test
    void aGivenButInvalidNameSaysWhatIsWrongAndWhatIsAllowed() {
        String allowed = "; a sweep name is 1 to 100 letters, digits, '.', '_' or '-', starting with a letter or digit";
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("..", "s.yaml:1:7: name: '..' starts with '.' (a folder of its own: it would write outside runs/)");
        cases.put(".", "s.yaml:1:7: name: '.' starts with '.' (a folder of its own");
        cases.put("a/b", "s.yaml:1:7: name: 'a/b' contains '/' (a folder separator)");
        cases.put("'a\\b'", "s.yaml:1:7: name: 'a\\b' contains '\\' (a folder separator on Windows)");
        cases.put("''", "s.yaml:1:7: name: is empty");
        cases.put("\"\"", "s.yaml:1:7: name: is empty");
        cases.put("", "s.yaml:1:6: name: has no value");
        cases.put("-x", "s.yaml:1:7: name: '-x' starts with '-'");
        cases.put("a b", "s.yaml:1:7: name: 'a b' contains a space");
        cases.put("caf\u00e9", "s.yaml:1:7: name: 'caf\u00e9' contains '\u00e9'");
        cases.put("12", "s.yaml:1:7: name: '12' is a number, not a name (quote it to use it as one: name: \"12\")");
        cases.put("true", "s.yaml:1:7: name: 'true' is a boolean, not a name");
        cases.put("{a: 1}", "s.yaml:1:7: name: is a mapping, not a name");
        cases.put("x".repeat(101), "s.yaml:1:7: name: is 101 characters long");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            String e = error(SWEEP.replace("name: demo", "name: " + c.getKey()).replace("name: \n", "name:\n"));
            assertTrue(e.startsWith(c.getValue()) && e.endsWith(allowed + ", e.g. name: noise-2 (it names the results folder)"), c.getKey() + " -> " + e);
        }
        assertEquals(14, cases.size());
        assertEquals("x".repeat(100), parse(SWEEP.replace("name: demo", "name: " + "x".repeat(100))).name());
        assertEquals("a.b_c-1", parse(SWEEP.replace("name: demo", "name: a.b_c-1")).name());
        assertEquals("12", parse(SWEEP.replace("name: demo", "name: '12'")).name());
        String e = error(SWEEP, "name=..");
        assertTrue(e.startsWith("--set name=..: name: '..' starts with '.'"), e);
    }

    @Test
    void badSetArgumentsAreRejected() {
        assertTrue(error(SWEEP, "epochs").startsWith("--set epochs: expected key=value"));
        String e = error(SWEEP, "data.batchsize=3");
        assertTrue(e.startsWith("--set data.batchsize=3: unknown setting 'data.batchsize' (did you mean 'data.batch_size'?)"), e);
    }

    // ---- issue 17: eval.stats, log.layers, optimizer.lr_scaling

    @Test
    void instrumentDefaultsAreOffAndLrScalingFollowsTheBatch() {
        TrialConfig c = parse(SWEEP).trials().get(0).config();
        assertEquals(List.of("ema"), c.eval().stats());
        assertEquals(8192, c.eval().preciseImages());
        assertEquals(32, c.eval().batchSizeOr(c.data().batchSize()));
        assertEquals(false, c.log().layers().enabled());
        assertEquals("none", c.optimizer().lrScaling());
        assertEquals(0.1, c.optimizer().scaledLr(32), 0);
        TrialConfig linear = parse(SWEEP + "optimizer: {lr: 0.2, lr_scaling: linear, reference_batch: 128}\n")
                .trials().get(0).config();
        assertEquals(0.05, linear.optimizer().scaledLr(32), 1e-15);
        assertEquals(0.025, linear.optimizer().scaledLr(16), 1e-15);
        TrialConfig sqrt = parse(SWEEP + "optimizer: {lr: 0.2, lr_scaling: sqrt, reference_batch: 128}\n")
                .trials().get(0).config();
        assertEquals(0.1, sqrt.optimizer().scaledLr(32), 1e-15);
    }

    @Test
    void badInstrumentValuesNameFileLineColumnAndWhatIsAllowed() {
        String e = error(SWEEP + "optimizer: {lr_scaling: quadratic}\n");
        assertTrue(e.startsWith("s.yaml:10:25: optimizer.lr_scaling: must be one of none, linear, sqrt (got 'quadratic')"), e);
        e = error(SWEEP + "optimizer: {reference_batch: 0}\n");
        assertTrue(e.startsWith("s.yaml:10:30: optimizer.reference_batch: must be at least 1 (got 0)"), e);
        e = error(SWEEP + "eval: {stats: [ema, precize]}\n");
        assertTrue(e.startsWith("s.yaml:10:15: eval.stats: must be one of ema, precise, batch (got 'precize')"), e);
        e = error(SWEEP + "eval: {stats: [batch, batch]}\n");
        assertTrue(e.startsWith("s.yaml:10:15: eval.stats: lists a value twice"), e);
        e = error(SWEEP + "model: {init: xavier}\n");
        assertTrue(e.startsWith("s.yaml:10:15: model.init: must be one of fan_out, pytorch (got 'xavier')"), e);
        e = error(SWEEP + "log: {layers: {every_steps: -5}}\n");
        assertTrue(e.startsWith("s.yaml:10:29: log.layers.every_steps: must be at least 0 (got -5)"), e);
        e = error(SWEEP + "log: {layers: {batch_noise: true}}\n");
        assertTrue(e.startsWith("s.yaml:10:29: log.layers.batch_noise: is measured on the steps log.layers samples: "
                + "set log.layers.every_steps > 0 too (got 0)"), e);
        e = error(SWEEP + "log: {layers: {batch_noise: maybe}}\n");
        assertTrue(e.contains("log.layers.batch_noise"), e);
        e = error(SWEEP + "  optimizer.lr_scaling: [linear, cubic]\n");
        assertTrue(e.startsWith("s.yaml:10:34: optimizer.lr_scaling: must be one of none, linear, sqrt (got 'cubic')"), e);
        e = error(SWEEP + "eval: {precise_image: 10}\n");
        assertTrue(e.startsWith("s.yaml:10:8: unknown setting 'eval.precise_image' (did you mean 'precise_images'?)"), e);
    }
}

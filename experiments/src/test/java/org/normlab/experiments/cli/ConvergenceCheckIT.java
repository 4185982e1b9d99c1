package org.normlab.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sweep key check, end to end through the fat jar: {@code check: {budget: 2}} in a dose sweep
 * adds its baseline and strongest dose at twice the steps, as extra trials after the main ones;
 * the report's main tables do not count them, and its Convergence check table holds the means of
 * results.csv's trials (computed here) at both budgets.
 */
class ConvergenceCheckIT {

    private static final String SWEEP = """
            name: conv
            seeds: [1, 2]
            steps: 24
            device: cpu
            checkpoints: false
            data:
              name: synthetic
              batch_size: 32
              synthetic: {classes: 4, channels: 1, size: 8, train: 256, val: 128, noise: 2.0}
            model: {name: cifar_resnet, depth: 8}
            optimizer: {lr: 0.05, momentum: 0.9, weight_decay: 0.0005}
            schedule: {name: cosine}
            eval: {every_steps: 12}
            grid:
              norm:
                bn: {norm.name: bn}
                gn: {norm.name: gn, norm.options: {groups: 4}}
              attack:
                none: {}
                c-0.5: {attack.name: constant, attack.options: {a: 1.5, b: 0.5, eval: true}}
                c-1: {attack.name: constant, attack.options: {a: 2.0, b: 1.0, eval: true}}
            exclude:
              - {norm: gn, attack.name: constant}
            report:
              dose_response:
                - {name: constant, where: {attack.name: constant}, strength: attack.options.b}
            check: {budget: 2, tolerance: 0.05}
            """;

    /** The checked cells by default: the no-attack baseline (bn and gn) and the strongest constant dose (bn). */
    private static final Set<String> CHECKED = Set.of("bn/none", "gn/none", "bn/c-1");

    @TempDir Path work;

    @Test
    void checkTrialsRunAtTwiceTheStepsAndOnlyTheConvergenceTableShowsThem() throws Exception {
        Path sweep = work.resolve("conv.yaml");
        Files.writeString(sweep, SWEEP);

        Jar.Run dry = Jar.run(work, sweep.toString(), "--dry-run", "--out", "runs");
        assertEquals(0, dry.exit(), dry.all());
        assertTrue(dry.all().contains("sweep conv: 14 trials: 8 main (4 grid points x 2 seeds) + 6 convergence check "
                + "(3 cells x 2 seeds at 2x the budget)"), dry.all());
        assertTrue(dry.all().matches("(?s).*of which ~\\S+ main trials and ~\\S+ convergence-check trials.*"), dry.all());

        Jar.Run run = Jar.run(work, sweep.toString(), "--out", "runs");
        assertEquals(0, run.exit(), run.all());
        Path dir = work.resolve("runs/conv");

        // trials.json: the 8 main trials, then the 6 check trials, each its own id
        JsonNode plan = new ObjectMapper().readTree(dir.resolve("trials.json").toFile());
        assertEquals(14, plan.size());
        Set<String> ids = new LinkedHashSet<>();
        for (int i = 0; i < plan.size(); i++) {
            JsonNode t = plan.get(i);
            ids.add(t.get("trial_id").asText());
            assertEquals(i >= 8, t.path("swept").has("check.budget"), "trial " + i + ": " + t);
            int steps = new YAMLMapper().readTree(dir.resolve(t.get("trial_id").asText()).resolve("config.yaml").toFile())
                    .get("steps").asInt();
            assertEquals(i >= 8 ? 48 : 24, steps, "trial " + i + "'s steps");
        }
        assertEquals(14, ids.size(), "every trial has its own id");

        // the final accuracies per cell from results.csv, main and check trials apart
        List<String> rows = Files.readAllLines(dir.resolve("results.csv"));
        List<String> header = List.of(rows.get(0).split(",", -1));
        int norm = header.indexOf("norm"), attack = header.indexOf("attack"), acc = header.indexOf("final_val_acc");
        int mark = header.indexOf("check.budget");
        assertTrue(mark > 0, "results.csv marks the check trials: " + header);
        Map<String, List<Double>> main = new LinkedHashMap<>();
        Map<String, List<Double>> check = new LinkedHashMap<>();
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",", -1);
            (f[mark].isEmpty() ? main : check).computeIfAbsent(f[norm] + "/" + f[attack], k -> new ArrayList<>())
                    .add(Double.parseDouble(f[acc]));
            if (!f[mark].isEmpty()) {
                assertEquals("2", f[mark]);
            }
        }
        assertEquals(14, rows.size() - 1);
        assertEquals(4, main.size(), main.toString());
        assertEquals(CHECKED, check.keySet());

        String md = Files.readString(dir.resolve("report/report.md"));
        // the main tables: 8 planned trials, no check.budget column, dose pivot means of the main trials only
        String trials = section(md, "## Trials");
        assertTrue(trials.contains("| 8 | 8 | 0 | 0 | 0 |"), trials);
        assertFalse(section(md, "## Results by group").contains("check.budget"), md);
        assertTrue(md.lines().filter(l -> l.startsWith("| none | 0 |")).findFirst().orElseThrow()
                .contains(String.format(Locale.ROOT, "%.4f ±", mean(main.get("bn/none")))), md);

        // the convergence table: one row per checked cell, the means of results.csv
        String table = section(md, "## Convergence check");
        assertTrue(table.contains("| norm | attack | budget | 2× budget | 2× − budget | Welch 95% CI | p (Holm) | CI within ±0.05 | within 0.05 |"), table);
        int found = 0;
        for (String cell : CHECKED) {
            String[] na = cell.split("/");
            String line = table.lines().filter(l -> l.startsWith("| " + na[0] + " | " + na[1] + " |")).findFirst()
                    .orElseThrow(() -> new AssertionError(cell + " in\n" + table));
            double budget = mean(main.get(cell)), longer = mean(check.get(cell));
            assertTrue(line.contains(String.format(Locale.ROOT, "%.4f ± %.4f (n=2)", budget, sd(main.get(cell)))), line);
            assertTrue(line.contains(String.format(Locale.ROOT, "%.4f ± %.4f (n=2) |", longer, sd(check.get(cell)))), line);
            assertTrue(line.contains(String.format(Locale.ROOT, "| %+.4f |", longer - budget)), line);
            assertTrue(line.contains(welch(check.get(cell), main.get(cell))), line + " has " + welch(check.get(cell), main.get(cell)));
            assertTrue(line.trim().endsWith(Math.abs(longer - budget) <= 0.05 ? "| yes |" : "| no |"), line);
            found++;
        }
        assertEquals(3, found);
        assertEquals(3, table.lines().filter(l -> l.startsWith("| bn |") || l.startsWith("| gn |")).count(), table);
    }

    /** The text of a level-2 heading's section, up to the next one. */
    private static String section(String md, String heading) {
        int start = md.indexOf(heading + "\n");
        assertTrue(start >= 0, heading + " in\n" + md);
        int end = md.indexOf("\n## ", start + heading.length());
        return md.substring(start, end < 0 ? md.length() : end);
    }

    private static double mean(List<Double> v) {
        assertEquals(2, v.size(), "two seeds");
        return v.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }

    /** Welch's 95% interval of mean(a) − mean(b), as the table prints it (float64, Commons Statistics' t quantile). */
    private static String welch(List<Double> a, List<Double> b) {
        double va = sd(a) * sd(a) / a.size(), vb = sd(b) * sd(b) / b.size();
        if (va + vb == 0) {
            return "undefined: zero variance on both sides";
        }
        double df = (va + vb) * (va + vb) / (va * va / (a.size() - 1) + vb * vb / (b.size() - 1));
        double half = org.apache.commons.statistics.distribution.TDistribution.of(df).inverseCumulativeProbability(0.975)
                * Math.sqrt(va + vb);
        double d = mean(a) - mean(b);
        return String.format(Locale.ROOT, "[%+.4f, %+.4f]", d - half, d + half);
    }

    private static double sd(List<Double> v) {
        double m = mean(v);
        return Math.sqrt(v.stream().mapToDouble(x -> (x - m) * (x - m)).sum() / (v.size() - 1));
    }
}

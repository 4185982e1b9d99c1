package org.normlab.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sweep with report.dose_response, end to end through the fat jar: the report leads with the
 * dose-response figure and its pivot table, whose cells are the means of results.csv's trials
 * (computed here), strength 0 from the no-attack trials, gn (excluded from the attack) only at 0.
 */
class DoseResponseIT {

    private static final String SWEEP = """
            name: dose
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
            """;

    @TempDir Path work;

    @Test
    void theReportLeadsWithTheDoseResponseOfTheTrials() throws Exception {
        Path sweep = work.resolve("dose.yaml");
        Files.writeString(sweep, SWEEP);
        Jar.Run run = Jar.run(work, sweep.toString(), "--out", "runs");
        assertEquals(0, run.exit(), run.all());
        Path dir = work.resolve("runs/dose");

        // the means per (norm, attack label) from results.csv, computed here
        List<String> rows = Files.readAllLines(dir.resolve("results.csv"));
        List<String> header = List.of(rows.get(0).split(","));
        int norm = header.indexOf("norm"), attack = header.indexOf("attack"), acc = header.indexOf("final_val_acc");
        Map<String, List<Double>> byCell = new LinkedHashMap<>();
        for (String row : rows.subList(1, rows.size())) {
            String[] f = row.split(",");
            byCell.computeIfAbsent(f[norm] + "/" + f[attack], k -> new ArrayList<>()).add(Double.parseDouble(f[acc]));
        }
        assertEquals(4, byCell.size(), byCell.toString()); // bn x 3 attacks, gn x none
        assertEquals(8, rows.size() - 1);

        String md = Files.readString(dir.resolve("report/report.md"));
        assertTrue(Files.size(dir.resolve("report/dose_response.png")) > 1000);
        int dose = md.indexOf("## Dose–response");
        assertTrue(dose >= 0 && dose < md.indexOf("## Trials"), "the dose-response section comes first:\n" + md);
        // pivot rows: strength 0 (none), 0.5 and 1; gn only in the first
        assertPivotRow(md, "| none | 0 |", mean(byCell.get("bn/none")), mean(byCell.get("gn/none")));
        assertPivotRow(md, "| constant | 0.5 |", mean(byCell.get("bn/c-0.5")), null);
        assertPivotRow(md, "| constant | 1 |", mean(byCell.get("bn/c-1")), null);
    }

    private static void assertPivotRow(String md, String start, double bn, Double gn) {
        String row = md.lines().filter(l -> l.startsWith(start)).findFirst().orElseThrow(() -> new AssertionError(start + " in\n" + md));
        assertTrue(row.contains(String.format(Locale.ROOT, "%.4f ±", bn)), row + " has bn's mean " + bn);
        if (gn == null) {
            assertTrue(row.trim().endsWith("— |"), row + " has no gn cell");
        } else {
            assertTrue(row.contains(String.format(Locale.ROOT, "%.4f ±", gn)), row + " has gn's mean " + gn);
        }
    }

    private static double mean(List<Double> v) {
        assertEquals(2, v.size(), "two seeds");
        return v.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
    }
}

package org.normlab.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17's instruments from the fat jar: one tiny Fashion-MNIST sweep (12x12, 1,024 training
 * images, 2 epochs) with eval.stats all three, log.layers and linear lr scaling: bn with
 * momentum 0.0001 (its running statistics barely leave their initial values) at batch sizes 16
 * and 32, iebn and gn (no running statistics) at 32.
 */
class InstrumentsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path FASHION = Path.of("/usr/share/datasets/fashion-mnist");
    private static final int TRAIN = 1024;
    private static final int EPOCHS = 2;
    private static final int EVERY = 8;
    /** cifar_resnet depth 8, shortcut A: the stem's norm and two per block, three blocks. */
    private static final int NORM_LAYERS = 7;

    @TempDir static Path work;
    static Jar.Run run;

    @BeforeAll
    static void runTheSweep() throws Exception {
        assumeTrue(Files.isDirectory(FASHION), "Fashion-MNIST is not installed at " + FASHION);
        Files.writeString(work.resolve("instruments.yaml"), """
                name: instruments
                seeds: [1]
                epochs: %d
                device: cpu
                checkpoints: false
                data: {name: fashion-mnist, train_subset: %d, val_subset: 500, size: 12}
                model: {name: cifar_resnet, depth: 8}
                optimizer: {lr: 0.05, momentum: 0.9, weight_decay: 0.0005, lr_scaling: linear, reference_batch: 32}
                schedule: {name: constant}
                eval: {stats: [ema, precise, batch], precise_images: 1024}
                log: {layers: {every_steps: %d}}
                grid:
                  trial:
                    bn_slow16: {norm.name: bn, norm.options: {momentum: 0.0001}, data.batch_size: 16}
                    bn_slow32: {norm.name: bn, norm.options: {momentum: 0.0001}, data.batch_size: 32}
                    iebn32: {norm.name: iebn, data.batch_size: 32}
                    gn32: {norm.name: gn, data.batch_size: 32}
                """.formatted(EPOCHS, TRAIN, EVERY));
        run = Jar.run(work, "instruments.yaml", "--out", "runs");
    }

    private static Path sweepDir() {
        return work.resolve("runs/instruments");
    }

    @Test
    void preciseRecoversWhatStaleRunningStatisticsLose() throws Exception {
        assertEquals(0, run.exit(), run.all());
        for (int batch : List.of(16, 32)) {
            JsonNode m = result("bn_slow", batch).path("metrics");
            double ema = m.path("final_val_acc_ema").asDouble();
            double precise = m.path("final_val_acc_precise").asDouble();
            double batchStats = m.path("final_val_acc_batch").asDouble();
            assertEquals(m.path("final_val_acc").asDouble(), ema, 0.0, "final_val_acc is the ema one");
            // Near chance (10 classes): closer to 0.1 than to what batch statistics reach. (bn_slow16's ema
            // is 0.298 with or without log.layers, which no longer perturbs training; a fixed 0.25 held
            // only while the sampled steps did.)
            assertTrue(ema - 0.1 < (batchStats - 0.1) / 2, "ema near chance (10 classes): " + m);
            assertTrue(precise - ema > 0.3, "precise recovers: " + m);
            assertTrue(precise > 0.5, "precise far above chance: " + m);
            assertTrue(Math.abs(precise - batchStats) < 0.05, "precise within a few points of batch at the training batch size: " + m);
        }
    }

    @Test
    void resultsHoldTheAskedEvaluationsAndSayWhereNoneApplies() throws Exception {
        assertEquals(0, run.exit(), run.all());
        List<String> rows = Files.readAllLines(sweepDir().resolve("results.csv"));
        assertEquals("trial_id,status,seed,trial,final_val_acc,best_val_acc,final_train_acc,final_val_loss,"
                + "params,train_img_s,wall_s,final_val_acc_ema,final_val_acc_precise,final_val_acc_batch", rows.get(0));
        assertEquals(5, rows.size(), String.join("\n", rows));
        JsonNode iebn = result("iebn", 32).path("metrics");
        for (String k : List.of("final_val_acc_ema", "final_val_acc_precise", "final_val_acc_batch")) {
            assertTrue(iebn.path(k).isNumber(), k + " in " + iebn);
        }
        JsonNode gn = result("gn", 32).path("metrics");
        assertTrue(gn.path("final_val_acc_ema").isNumber(), gn.toString());
        assertFalse(gn.has("final_val_acc_precise") || gn.has("final_val_acc_batch"), "gn has no running statistics: " + gn);
        assertEquals(1, run.out().lines().filter(l -> l.contains("eval.stats: gn has no running statistics")).count(), run.out());
    }

    @Test
    void linearScalingHalvesTheLrWhenTheBatchHalves() throws Exception {
        assertEquals(0, run.exit(), run.all());
        List<Map<String, String>> small = csv(trialDir("bn_slow", 16).resolve("metrics.csv"));
        List<Map<String, String>> large = csv(trialDir("bn_slow", 32).resolve("metrics.csv"));
        assertEquals(EPOCHS, small.size());
        for (int e = 0; e < EPOCHS; e++) {
            assertEquals(0.05, Double.parseDouble(large.get(e).get("lr")), 1e-7, "batch 32 = reference_batch: lr as given");
            assertEquals(0.025, Double.parseDouble(small.get(e).get("lr")), 1e-7, "batch 16: half of it");
        }
    }

    @Test
    void layersCsvHasOneRowPerLayerAndSamplePoint() throws Exception {
        assertEquals(0, run.exit(), run.all());
        for (String norm : List.of("bn_slow", "iebn")) {
            for (int batch : norm.equals("iebn") ? List.of(32) : List.of(16, 32)) {
                Path file = trialDir(norm, batch).resolve("layers.csv");
                assertEquals("step,epoch,layer,norm,channels,mean_dev,std_logratio,gate_mean,gate_std,gate_min,gate_max",
                        Files.readAllLines(file).get(0));
                List<Map<String, String>> rows = csv(file);
                int steps = EPOCHS * (TRAIN / batch);
                int points = (steps + EVERY - 1) / EVERY;
                assertEquals(NORM_LAYERS * points, rows.size(), file.toString());
                TreeSet<Integer> stepsSeen = new TreeSet<>();
                TreeSet<Integer> layers = new TreeSet<>();
                for (Map<String, String> r : rows) {
                    int step = Integer.parseInt(r.get("step"));
                    stepsSeen.add(step);
                    layers.add(Integer.parseInt(r.get("layer")));
                    assertEquals(step / (TRAIN / batch) + 1, Integer.parseInt(r.get("epoch")), r.toString());
                    assertEquals(norm.equals("iebn") ? "iebn" : "bn", r.get("norm"));
                    assertTrue(Double.parseDouble(r.get("mean_dev")) >= 0 && Double.parseDouble(r.get("std_logratio")) >= 0, r.toString());
                    if (norm.equals("iebn")) {
                        double min = Double.parseDouble(r.get("gate_min"));
                        double mean = Double.parseDouble(r.get("gate_mean"));
                        double max = Double.parseDouble(r.get("gate_max"));
                        assertTrue(0 < min && min <= mean && mean <= max && max < 1, "a sigmoid gate: " + r);
                    } else {
                        assertEquals("", r.get("gate_mean"), r.toString());
                    }
                }
                assertEquals(points, stepsSeen.size());
                assertEquals(0, stepsSeen.first());
                assertEquals((points - 1) * EVERY, stepsSeen.last());
                assertEquals(NORM_LAYERS, layers.size());
                // slow bn: running statistics stay near (0, 1), so the measured batch noise stays large
                if (norm.equals("bn_slow")) {
                    double last = rows.stream().filter(r -> r.get("step").equals(String.valueOf(stepsSeen.last())))
                            .mapToDouble(r -> Double.parseDouble(r.get("std_logratio"))).average().orElseThrow();
                    assertTrue(last > 0.1, "stale running statistics: " + last);
                }
            }
        }
        assertEquals(List.of("step,epoch,layer,norm,channels,mean_dev,std_logratio,gate_mean,gate_std,gate_min,gate_max"),
                Files.readAllLines(trialDir("gn", 32).resolve("layers.csv")), "gn: the header only");
    }

    @Test
    void theReportShowsTheEvaluationsAndPlotsTheLayerLogs() throws Exception {
        assertEquals(0, run.exit(), run.all());
        Path report = sweepDir().resolve("report");
        String md = Files.readString(report.resolve("report.md"));
        assertTrue(md.contains("| final val acc [ema] | final val acc [precise] | final val acc [batch] |"), md);
        for (String png : List.of("layers_noise_by_layer.png", "layers_noise_over_training.png", "layers_gate_by_layer.png")) {
            assertTrue(Files.size(report.resolve(png)) > 1000, png);
            assertTrue(md.contains("](" + png + ")"), "report.md shows " + png);
        }
    }

    private static JsonNode result(String norm, int batch) throws Exception {
        return JSON.readTree(trialDir(norm, batch).resolve("result.json").toFile());
    }

    private static Path trialDir(String norm, int batch) throws Exception {
        for (Map<String, String> row : csv(sweepDir().resolve("results.csv"))) {
            if (row.get("trial").equals(norm + batch)) {
                return sweepDir().resolve(row.get("trial_id"));
            }
        }
        throw new AssertionError("no trial " + norm + " batch " + batch);
    }

    static List<Map<String, String>> csv(Path file) throws Exception {
        List<Map<String, String>> rows = new ArrayList<>();
        try (MappingIterator<Map<String, String>> it = new CsvMapper().readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(file.toFile())) {
            it.forEachRemaining(rows::add);
        }
        return rows;
    }
}

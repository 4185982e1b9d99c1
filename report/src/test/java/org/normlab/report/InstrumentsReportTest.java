package org.normlab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.normlab.report.SweepFixture.history;
import static org.normlab.report.SweepFixture.metrics;
import static org.normlab.report.SweepFixture.swept;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report on issue 17's outputs: the eval.stats metrics in the tables and the norm comparisons,
 * error against batch size, and the layers.csv plots with their numbers checked by hand.
 */
class InstrumentsReportTest {

    @TempDir Path tmp;

    /** bn and iebn x batch 8, 64 x 2 seeds; precise = ema + 0.05 for bn; layers.csv for every trial. */
    private Path writeSweep() throws Exception {
        return writeSweep(false);
    }

    /** The same; with batchNoise, layers.csv has the column batch_noise and logits rows. */
    private Path writeSweep(boolean batchNoise) throws Exception {
        Path dir = tmp.resolve("sweep");
        SweepFixture f = new SweepFixture(dir, "batch-size");
        List<Object[]> trials = new ArrayList<>();
        for (String norm : List.of("bn", "iebn")) {
            for (int bs : List.of(8, 64)) {
                for (int seed = 1; seed <= 2; seed++) {
                    String id = norm + "-b" + bs + "-s" + seed;
                    Map<String, Object> sw = swept("norm.name", norm, "data.batch_size", bs);
                    f.plan(id, seed, sw);
                    trials.add(new Object[] {id, seed, sw, norm, bs});
                }
            }
        }
        f.writePlan(Map.of("norm.name", List.<Object>of("bn", "iebn"), "data.batch_size", List.<Object>of(8, 64)), List.of(1, 2));
        for (Object[] t : trials) {
            String norm = (String) t[3];
            int seed = (int) t[1];
            double acc = 0.80 + (norm.equals("iebn") ? 0.02 : 0) + 0.01 * seed;
            Map<String, Object> m = metrics(acc, acc, acc, 0.4, 1000, 100);
            m.put("final_val_acc_ema", acc);
            m.put("final_val_acc_precise", acc + (norm.equals("bn") ? 0.05 : 0.01));
            m.put("final_val_acc_batch", acc + 0.03);
            f.result((String) t[0], seed, (Map<String, Object>) t[2], "completed", m, history(2, acc, 0));
            Files.writeString(dir.resolve((String) t[0]).resolve("layers.csv"),
                    batchNoise ? layersCsvWithBatchNoise(seed) : layersCsv(norm.equals("iebn"), seed));
        }
        return dir;
    }

    /**
     * Two layers, steps 0 and 10 in epoch 1, 20 and 30 in epoch 2: mean_dev = layer + step/100 + seed/10,
     * std_logratio = 2 x that; the gate (iebn) 0.3 + layer/10 with min/max ±0.1.
     */
    private static String layersCsv(boolean gate, int seed) {
        StringBuilder b = new StringBuilder("step,epoch,layer,norm,channels,mean_dev,std_logratio,gate_mean,gate_std,gate_min,gate_max\n");
        for (int step = 0; step <= 30; step += 10) {
            for (int layer = 0; layer < 2; layer++) {
                double v = layer + step / 100.0 + seed / 10.0;
                b.append(String.format(Locale.ROOT, "%d,%d,%d,%s,16,%s,%s", step, step < 20 ? 1 : 2, layer,
                        gate ? "iebn" : "bn", v, 2 * v));
                double g = 0.3 + layer / 10.0;
                b.append(gate ? String.format(Locale.ROOT, ",%s,0.05,%s,%s%n", g, g - 0.1, g + 0.1) : ",,,,\n");
            }
        }
        return b.toString();
    }

    /**
     * Two bn layers and the logits row at steps 0, 10 (epoch 1), 20, 30 (epoch 2):
     * batch_noise = 0.1 x (layer + 1) + step/1000 + seed/100 for the layers, 0.5 + step/1000 + seed/100 at the logits.
     */
    private static String layersCsvWithBatchNoise(int seed) {
        StringBuilder b = new StringBuilder(
                "step,epoch,layer,norm,channels,mean_dev,std_logratio,gate_mean,gate_std,gate_min,gate_max,batch_noise\n");
        for (int step = 0; step <= 30; step += 10) {
            int epoch = step < 20 ? 1 : 2;
            for (int layer = 0; layer < 2; layer++) {
                b.append(String.format(Locale.ROOT, "%d,%d,%d,bn,16,0.1,0.2,,,,,%s%n", step, epoch, layer,
                        0.1 * (layer + 1) + step / 1000.0 + seed / 100.0));
            }
            b.append(String.format(Locale.ROOT, "%d,%d,logits,bn,10,,,,,,,%s%n", step, epoch, 0.5 + step / 1000.0 + seed / 100.0));
        }
        return b.toString();
    }

    @Test
    void batchNoiseIsDrawnPerLayerWithTheLogitsLastAndOverTraining() throws Exception {
        Path dir = writeSweep(true);
        SweepData data = SweepData.load(List.of(dir));
        List<TrialOutcome> bn8 = data.results().stream().filter(r -> r.trialId().startsWith("bn-b8-")).toList();
        List<List<LayerData.Row>> trials = LayerData.of(bn8);
        assertEquals(2, trials.size());
        assertTrue(LayerData.hasBatchNoise(trials));
        // last epoch (steps 20, 30): per trial layer l: 0.1 (l + 1) + 0.025 + seed/100, logits 0.5 + 0.025 + seed/100
        List<ChartData.Point> byLayer = LayerData.byLayer(trials, LayerData.Row::batchNoise);
        assertEquals(List.of(0.0, 1.0, 2.0), byLayer.stream().map(ChartData.Point::x).toList(), "the logits after layer 1");
        assertEquals(0.1 + 0.025 + 0.015, byLayer.get(0).mean(), 1e-12);
        assertEquals(0.2 + 0.025 + 0.015, byLayer.get(1).mean(), 1e-12);
        assertEquals(0.5 + 0.025 + 0.015, byLayer.get(2).mean(), 1e-12);
        // the logits rows change nothing of the other quantities: mean_dev stays at layers 0 and 1
        assertEquals(List.of(0.0, 1.0), LayerData.byLayer(trials, LayerData.Row::meanDev).stream().map(ChartData.Point::x).toList());
        // over training, step 30: layers' mean 0.15 + 0.03 + 0.015; logits 0.5 + 0.03 + 0.015
        List<ChartData.Point> layers = LayerData.overTraining(trials, LayerData.Row::layerBatchNoise);
        List<ChartData.Point> logits = LayerData.overTraining(trials, LayerData.Row::logitsBatchNoise);
        assertEquals(4, layers.size());
        assertEquals(4, logits.size());
        assertEquals(0.15 + 0.03 + 0.015, layers.get(3).mean(), 1e-12);
        assertEquals(0.5 + 0.03 + 0.015, logits.get(3).mean(), 1e-12);

        Path out = Reports.write(List.of(dir), tmp.resolve("report-noise"));
        for (String name : List.of("layers_batch_noise_by_layer.png", "layers_batch_noise_over_training.png",
                "layers_noise_by_layer.png")) {
            assertNotNull(ImageIO.read(out.resolve(name).toFile()), name);
        }
    }

    @Test
    void evalStatsMetricsAreInTheTablesAndComparisons() throws Exception {
        Path out = Reports.write(List.of(writeSweep()), tmp.resolve("report"));
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("| final val acc [ema] | final val acc [precise] | final val acc [batch] |"), md);
        // iebn - bn: ema +0.02; precise (0.83 + 0.01) - (0.81 + 0.05) = -0.02 at either batch size
        assertTrue(md.contains("difference (final val acc [precise])"), md);
        long precise = md.lines().filter(l -> l.contains("iebn − bn") && l.contains("-0.0200")).count();
        long ema = md.lines().filter(l -> l.contains("iebn − bn") && l.contains("+0.0200")).count();
        assertEquals(2, precise, md);
        assertEquals(2 + 2, ema, "the ema table and the batch table (+0.02 too): " + md);
    }

    @Test
    void plotsErrorVsBatchSizeAndTheLayerLogs() throws Exception {
        Path out = Reports.write(List.of(writeSweep()), tmp.resolve("report"));
        List<String> pngs;
        try (Stream<Path> files = Files.list(out)) {
            pngs = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".png")).sorted().toList();
        }
        for (String name : List.of("error_vs_batch_size.png", "layers_noise_by_layer.png",
                "layers_noise_over_training.png", "layers_gate_by_layer.png")) {
            assertTrue(pngs.contains(name), name + " in " + pngs);
            assertNotNull(ImageIO.read(out.resolve(name).toFile()), name);
        }
        assertTrue(!pngs.contains("layers_batch_noise_by_layer.png"), "no batch_noise column, no batch_noise plot: " + pngs);
    }

    @Test
    void layerNumbersAreMeansOverTheLastEpochThenOverSeeds() throws Exception {
        Path dir = writeSweep();
        SweepData data = SweepData.load(List.of(dir));
        List<TrialOutcome> bn8 = data.results().stream().filter(r -> r.trialId().startsWith("bn-b8-")).toList();
        assertEquals(2, bn8.size());
        List<List<LayerData.Row>> trials = LayerData.of(bn8);
        // last epoch: steps 20, 30; per trial mean over them = layer + 0.25 + seed/10; seeds 1, 2
        List<ChartData.Point> byLayer = LayerData.byLayer(trials, LayerData.Row::meanDev);
        assertEquals(2, byLayer.size());
        for (int layer = 0; layer < 2; layer++) {
            ChartData.Point p = byLayer.get(layer);
            assertEquals(layer, p.x(), 0);
            assertEquals(layer + 0.25 + 0.15, p.mean(), 1e-12);
            double sd = Math.sqrt(2 * 0.05 * 0.05); // sample std of {0.1, 0.2}
            assertEquals(p.mean() + sd, p.upper(), 1e-12);
        }
        // over training: per step the mean over the two layers = 0.5 + step/100 + seed/10
        List<ChartData.Point> steps = LayerData.overTraining(trials, LayerData.Row::stdLogRatio);
        assertEquals(List.of(0.0, 10.0, 20.0, 30.0), steps.stream().map(ChartData.Point::x).toList());
        assertEquals(2 * (0.5 + 0.3 + 0.15), steps.get(3).mean(), 1e-12);
        assertTrue(!LayerData.hasGate(trials));
        assertTrue(LayerData.hasGate(LayerData.of(data.results().stream().filter(r -> r.trialId().startsWith("iebn")).toList())));
    }
}

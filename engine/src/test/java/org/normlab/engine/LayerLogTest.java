package org.normlab.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.normlab.norm.NormRegistry;

/**
 * layers.csv end to end: a real training loop with log.layers on a net whose first norm layer
 * (bn) sees the raw, fixed batch and whose second (iebn) sees bn's output, the file read back
 * and every value checked against a float64 hand computation: the running statistics after k
 * steps of PyTorch's update on the same batch, and IEBN's gate at its initial w = 0, b = -1.
 */
class LayerLogTest {

    private static final int N = 4;
    private static final int C = 2;
    private static final int HW = 3;
    private static final int BATCHES_PER_EPOCH = 3;
    private static final int EPOCHS = 2;
    private static final int EVERY = 2;
    private static final double EPS = 1e-5;
    private static final double MOMENTUM = 0.1;

    @TempDir Path dir;

    /** The fixed batch: x[n][c][i] = a deterministic spread with different mean and scale per channel. */
    private static float[] batch() {
        float[] x = new float[N * C * HW * HW];
        for (int n = 0; n < N; n++) {
            for (int c = 0; c < C; c++) {
                for (int i = 0; i < HW * HW; i++) {
                    double v = Math.sin(1.3 * n + 0.7 * i + 2.1 * c) * (c == 0 ? 2.0 : 0.5) + (c == 0 ? 1.5 : -0.75);
                    x[(n * C + c) * HW * HW + i] = (float) v;
                }
            }
        }
        return x;
    }

    @Test
    void everyValueOfLayersCsvMatchesAHandComputation() throws Exception {
        NormRegistry registry = NormRegistry.load();
        Block bn = registry.factory("bn", Map.of()).create(C);
        Block iebn = registry.factory("iebn", Map.of()).create(C);
        Map<Block, String> names = new IdentityHashMap<>(Map.of(bn, "bn", iebn, "iebn"));
        SequentialBlock model = new SequentialBlock().add(bn).add(iebn).add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(3).build());
        Path file = dir.resolve("layers.csv");
        Engine.getInstance().setRandomSeed(7);
        try (NDManager manager = NDManager.newBaseManager()) {
            model.initialize(manager, DataType.FLOAT32, new Shape(1, C, HW, HW));
            LayerLog log = new LayerLog(new LayerLog.Plan(EVERY, 0, names::get), model, file, "bn", line -> {});
            TrainingPlan plan = new TrainingPlan(EPOCHS, null, 0, LrSchedule.constant(0.1), 0, 0, false, 0, false, 0);
            TrainingLoop.Outcome outcome = new TrainingLoop(model, manager, plan, log, snapshot -> "", new Stop(), 7, log, FinalEvaluation.NONE)
                    .fit(source(), source(), null);
            log.write();
            assertEquals(null, outcome.divergedEpoch());
        }

        List<String> lines = Files.readAllLines(file);
        assertEquals("step,epoch,layer,norm,channels,mean_dev,std_logratio,gate_mean,gate_std,gate_min,gate_max",
                lines.get(0));
        List<Map<String, String>> rows = read(file);
        int steps = EPOCHS * BATCHES_PER_EPOCH;
        int samplePoints = (steps + EVERY - 1) / EVERY; // steps 0, 2, 4
        assertEquals(2 * samplePoints, rows.size(), String.join("\n", lines));

        double[] mu = new double[C];
        double[] var = new double[C];
        moments(batch(), mu, var);
        long count = (long) N * HW * HW;
        double sigmoidMinus1 = 1 / (1 + Math.exp(1));
        for (int p = 0; p < samplePoints; p++) {
            int step = p * EVERY;
            Map<String, String> bnRow = rows.get(2 * p);
            Map<String, String> iebnRow = rows.get(2 * p + 1);
            assertEquals(List.of(String.valueOf(step), String.valueOf(step / BATCHES_PER_EPOCH + 1), "0", "bn", "2"),
                    List.of(bnRow.get("step"), bnRow.get("epoch"), bnRow.get("layer"), bnRow.get("norm"), bnRow.get("channels")));
            assertEquals(List.of(String.valueOf(step), "1", "iebn"), List.of(iebnRow.get("step"), iebnRow.get("layer"), iebnRow.get("norm")));

            // bn sees x itself: running statistics after `step` updates with the same batch
            double keep = Math.pow(1 - MOMENTUM, step);
            double meanDev = 0;
            double logRatio = 0;
            for (int c = 0; c < C; c++) {
                double runMean = (1 - keep) * mu[c];
                double runVar = keep * 1.0 + (1 - keep) * var[c] * count / (count - 1);
                meanDev += Math.abs(mu[c] - runMean) / Math.sqrt(runVar + EPS) / C;
                logRatio += Math.abs(0.5 * Math.log((var[c] + EPS) / (runVar + EPS))) / C;
            }
            assertClose(meanDev, bnRow.get("mean_dev"), "bn mean_dev at step " + step);
            assertClose(logRatio, bnRow.get("std_logratio"), "bn std_logratio at step " + step);
            for (String gate : List.of("gate_mean", "gate_std", "gate_min", "gate_max")) {
                assertEquals("", bnRow.get(gate), "bn has no gate");
            }
        }
        // iebn at step 0: its input is bn's x_hat (gamma 1, beta 0): mean 0, biased var v/(v+eps);
        // running statistics still (0, 1); gate sigmoid(0 * mean + -1) everywhere.
        Map<String, String> first = rows.get(1);
        double logRatio = 0;
        for (int c = 0; c < C; c++) {
            double v = var[c] / (var[c] + EPS);
            logRatio += Math.abs(0.5 * Math.log((v + EPS) / (1 + EPS))) / C;
        }
        assertTrue(Double.parseDouble(first.get("mean_dev")) < 1e-5, first.toString());
        assertClose(logRatio, first.get("std_logratio"), "iebn std_logratio at step 0");
        assertClose(sigmoidMinus1, first.get("gate_mean"), "gate_mean");
        assertClose(sigmoidMinus1, first.get("gate_min"), "gate_min");
        assertClose(sigmoidMinus1, first.get("gate_max"), "gate_max");
        assertTrue(Double.parseDouble(first.get("gate_std")) < 1e-6, first.toString());
        // later, the gate has trained away from its initial value
        assertTrue(Math.abs(Double.parseDouble(rows.get(rows.size() - 1).get("gate_std"))) > 0, rows.toString());
    }

    /**
     * log.layers.batch_noise: the column after gate_max, one more row (layer logits) per sampled
     * step, and bn's value at step 0 (gamma 1, beta 0) against a float64 computation: A = the
     * first two samples of the fixed batch, B the other two, C the first two of the other images.
     */
    @Test
    void batchNoiseAddsItsColumnAndALogitsRow() throws Exception {
        NormRegistry registry = NormRegistry.load();
        Block bn = registry.factory("bn", Map.of()).create(C);
        Block iebn = registry.factory("iebn", Map.of()).create(C);
        Map<Block, String> names = new IdentityHashMap<>(Map.of(bn, "bn", iebn, "iebn"));
        SequentialBlock model = new SequentialBlock().add(bn).add(iebn).add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(3).build());
        Path file = dir.resolve("layers.csv");
        List<int[]> asked = new ArrayList<>();
        Engine.getInstance().setRandomSeed(7);
        try (NDManager manager = NDManager.newBaseManager()) {
            model.initialize(manager, DataType.FLOAT32, new Shape(1, C, HW, HW));
            LayerLog log = new LayerLog(new LayerLog.Plan(EVERY, 0, true, b -> names.getOrDefault(b, "bn")), model, file, "bn",
                    line -> {}, (m, epoch, batch, count) -> {
                        asked.add(new int[] {epoch, batch, (int) count});
                        return m.create(otherImages(), new Shape(N, C, HW, HW));
                    });
            TrainingPlan plan = new TrainingPlan(EPOCHS, null, 0, LrSchedule.constant(0.1), 0, 0, false, 0, false, 0);
            new TrainingLoop(model, manager, plan, log, snapshot -> "", new Stop(), 7, log, FinalEvaluation.NONE)
                    .fit(source(), source(), null);
            log.write();
        }
        List<String> lines = Files.readAllLines(file);
        assertEquals("step,epoch,layer,norm,channels,mean_dev,std_logratio,gate_mean,gate_std,gate_min,gate_max,batch_noise",
                lines.get(0));
        List<Map<String, String>> rows = read(file);
        int samplePoints = (EPOCHS * BATCHES_PER_EPOCH + EVERY - 1) / EVERY; // steps 0, 2, 4
        assertEquals(3 * samplePoints, rows.size(), String.join("\n", lines));
        // steps 0, 2, 4 are batches 0, 2 of epoch 0 and batch 1 of epoch 1; C is |B| = 2 images
        assertEquals(List.of("0 0 2", "0 2 2", "1 1 2"), asked.stream().map(a -> a[0] + " " + a[1] + " " + a[2]).toList());
        for (int p = 0; p < samplePoints; p++) {
            Map<String, String> logits = rows.get(3 * p + 2);
            assertEquals(List.of(String.valueOf(p * EVERY), "logits", "bn", "3", "", ""), List.of(logits.get("step"),
                    logits.get("layer"), logits.get("norm"), logits.get("channels"), logits.get("mean_dev"), logits.get("gate_mean")));
            for (int r = 0; r < 3; r++) {
                double v = Double.parseDouble(rows.get(3 * p + r).get("batch_noise"));
                assertTrue(v > 0.01 && v < 2, "bn and iebn depend on the batch: row " + (3 * p + r) + " = " + v);
            }
        }
        assertClose(bnNoiseAtInit(), rows.get(0).get("batch_noise"), "bn's batch_noise at step 0");
    }

    /** Other images: the fixed batch's values, shifted and scaled per channel differently. */
    private static float[] otherImages() {
        float[] x = batch();
        for (int i = 0; i < x.length; i++) {
            x[i] = x[i] * 1.7f + 0.4f;
        }
        return x;
    }

    /** ‖bn(A∪B)[A] − bn(A∪C)[A]‖ / ‖bn(A∪B)[A]‖ with gamma 1, beta 0, in float64. */
    private static double bnNoiseAtInit() {
        float[] ab = batch();
        float[] ac = batch();
        float[] other = otherImages();
        int perSample = C * HW * HW;
        System.arraycopy(other, 0, ac, 2 * perSample, 2 * perSample);
        double[] mu1 = new double[C];
        double[] var1 = new double[C];
        double[] mu2 = new double[C];
        double[] var2 = new double[C];
        moments(ab, mu1, var1);
        moments(ac, mu2, var2);
        double diff = 0;
        double norm = 0;
        for (int n = 0; n < 2; n++) {
            for (int c = 0; c < C; c++) {
                for (int i = 0; i < HW * HW; i++) {
                    int k = (n * C + c) * HW * HW + i;
                    double y1 = (ab[k] - mu1[c]) / Math.sqrt(var1[c] + EPS);
                    double y2 = (ac[k] - mu2[c]) / Math.sqrt(var2[c] + EPS);
                    diff += (y1 - y2) * (y1 - y2);
                    norm += y1 * y1;
                }
            }
        }
        return Math.sqrt(diff / norm);
    }

    /** batch_noise on every step changes nothing of training either. */
    @Test
    void batchNoiseChangesNothingInTraining() throws Exception {
        List<float[]> with = train(true, true);
        List<float[]> without = train(false, false);
        assertEquals(without.size(), with.size());
        assertTrue(with.size() >= 8, "bn's and iebn's parameters and running statistics, the linear layer's: " + with.size());
        for (int i = 0; i < with.size(); i++) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(without.get(i), with.get(i), "parameter " + i);
        }
    }

    /** A sampled step trains exactly as an unsampled one: with the log or without, the same parameters to the bit. */
    @Test
    void theLogChangesNothingInTraining() throws Exception {
        List<float[]> with = train(true, false);
        List<float[]> without = train(false, false);
        assertEquals(without.size(), with.size());
        assertTrue(with.size() >= 8, "bn's and iebn's parameters and running statistics, the linear layer's: " + with.size());
        for (int i = 0; i < with.size(); i++) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(without.get(i), with.get(i), "parameter " + i);
        }
    }

    /** bn, iebn, linear trained for EPOCHS on the fixed batch, sampled every step when logged; every parameter after. */
    private List<float[]> train(boolean logged, boolean batchNoise) throws Exception {
        NormRegistry registry = NormRegistry.load();
        SequentialBlock model = new SequentialBlock().add(registry.factory("bn", Map.of()).create(C))
                .add(registry.factory("iebn", Map.of()).create(C)).add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(3).build());
        Engine.getInstance().setRandomSeed(7);
        try (NDManager manager = NDManager.newBaseManager()) {
            model.initialize(manager, DataType.FLOAT32, new Shape(1, C, HW, HW));
            LayerLog log = new LayerLog(new LayerLog.Plan(1, 0, batchNoise, b -> "bn"), model, dir.resolve("layers-" + logged + ".csv"),
                    "bn", line -> {}, (m, epoch, batch, count) -> m.create(otherImages(), new Shape(N, C, HW, HW)));
            TrainingPlan plan = new TrainingPlan(EPOCHS, null, 0, LrSchedule.constant(0.1), 0, 0, false, 0, false, 0);
            new TrainingLoop(model, manager, plan, logged ? log : new EpochListener() {}, snapshot -> "", new Stop(), 7,
                    logged ? log : StepListener.NONE, FinalEvaluation.NONE).fit(source(), source(), null);
            if (logged) {
                log.write();
                assertEquals(1 + (batchNoise ? 3 : 2) * EPOCHS * BATCHES_PER_EPOCH,
                        Files.readAllLines(dir.resolve("layers-true.csv")).size(), "every step sampled");
            }
            List<float[]> values = new ArrayList<>();
            model.getParameters().forEach(p -> values.add(p.getValue().getArray().toFloatArray()));
            return values;
        }
    }

    private static void assertClose(double expected, String actual, String what) {
        double a = Double.parseDouble(actual);
        assertEquals(expected, a, 1e-5 * Math.max(1, Math.abs(expected)), what);
    }

    /** Per-channel mean and biased variance, float64. */
    private static void moments(float[] x, double[] mu, double[] var) {
        int per = N * HW * HW;
        for (int c = 0; c < C; c++) {
            double sum = 0;
            for (int n = 0; n < N; n++) {
                for (int i = 0; i < HW * HW; i++) {
                    sum += x[(n * C + c) * HW * HW + i];
                }
            }
            mu[c] = sum / per;
            double sq = 0;
            for (int n = 0; n < N; n++) {
                for (int i = 0; i < HW * HW; i++) {
                    double d = x[(n * C + c) * HW * HW + i] - mu[c];
                    sq += d * d;
                }
            }
            var[c] = sq / per;
        }
    }

    /** The same fixed batch, BATCHES_PER_EPOCH times an epoch; labels 0, 1, 2, 0. */
    private static BatchSource source() {
        return new BatchSource() {
            @Override
            public int size() {
                return N * BATCHES_PER_EPOCH;
            }

            @Override
            public int batches() {
                return BATCHES_PER_EPOCH;
            }

            @Override
            public List<String> componentNames() {
                return List.of();
            }

            @Override
            public void forEachBatch(NDManager manager, int epoch, Consumer consumer) {
                for (int b = 0; b < BATCHES_PER_EPOCH; b++) {
                    try (NDManager m = manager.newSubManager()) {
                        consumer.accept(m.create(batch(), new Shape(N, C, HW, HW)),
                                m.create(new float[] {0, 1, 2, 0}), null);
                    }
                }
            }
        };
    }

    private static List<Map<String, String>> read(Path file) throws Exception {
        List<Map<String, String>> rows = new ArrayList<>();
        try (MappingIterator<Map<String, String>> it = new CsvMapper().readerForMapOf(String.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(file.toFile())) {
            it.forEachRemaining(rows::add);
        }
        return rows;
    }
}

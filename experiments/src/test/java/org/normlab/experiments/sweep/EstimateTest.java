package org.normlab.experiments.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.normlab.config.SweepLoader;
import org.normlab.config.TrialConfig;
import org.normlab.engine.assembly.DataFactory;
import org.junit.jupiter.api.Test;

/** The measured-speed estimate counts a trial's steps and eval batches as the training loop runs them. */
class EstimateTest {

    private static final DataFactory.Shape FASHION = new DataFactory.Shape(1, 16, 16, 10, 60000, 10000);
    // 10 ms a training step, 40 ms an eval batch of 250
    private static final MeasuredSpeed.Times TIMES = new MeasuredSpeed.Times("net", 16, 0.010, 250, 0.040);

    private static TrialConfig config(String yaml) {
        return SweepLoader.parse("test.yaml", "name: t\nseeds: [1]\n" + yaml, List.of()).trials().get(0).config();
    }

    @Test
    void epochsCountFullBatchesAndOneEvaluationPerEpoch() {
        TrialConfig c = config("epochs: 3\ndata: {batch_size: 16, val_batch_size: 250, train_subset: 2008, val_subset: 1000}\n");
        // 2008 / 16 = 125 full batches (the last 8 images dropped) x 3 epochs; 3 evaluations x 4 batches of 250
        double expected = 375 * 0.010 + 3 * 4 * 0.040 + Estimate.TRIAL_OVERHEAD_SECONDS;
        assertEquals(expected, Estimate.of(c, FASHION, TIMES).toMillis() / 1000.0, 1e-3);
    }

    @Test
    void stepsCountStepsAndEveryStepsEvaluationsWithPreciseAndBatchPasses() {
        TrialConfig c = config("steps: 300\neval: {every_steps: 100, stats: [ema, precise, batch], precise_images: 2000}\n"
                + "data: {batch_size: 16, val_batch_size: 250, train_subset: 2000, val_subset: 500}\n");
        // 300 steps; evaluations at 100, 200, 300; precise: 2000 images forward + one val pass; batch: one val pass
        double valBatches = 2;
        double passes = 3 + (1 + 2000.0 / 500) + 1;
        double expected = 300 * 0.010 + passes * valBatches * 0.040 + Estimate.TRIAL_OVERHEAD_SECONDS;
        assertEquals(expected, Estimate.of(c, FASHION, TIMES).toMillis() / 1000.0, 1e-3);
    }
}

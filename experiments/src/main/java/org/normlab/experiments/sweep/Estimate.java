package org.normlab.experiments.sweep;

import java.time.Duration;
import java.util.Map;
import org.normlab.config.TrialConfig;
import org.normlab.engine.assembly.DataFactory;

/**
 * Trial time estimates. {@link #of(TrialConfig, DataFactory.Shape, MeasuredSpeed.Times)} is
 * --dry-run's: the trial's steps and eval batches at this machine's measured times.
 * {@link #of(TrialConfig, DataFactory.Shape)} is a relative cost from the settings alone, for
 * balancing shards where nothing is measured: forward+backward cost relative to ResNet-20 on
 * 32x32 (about 41 MFLOPs) at a nominal 800 images/s, half that at batch 16; it knows nothing of
 * per-step overhead, so it is good for ratios between trials, not for wall time.
 */
public final class Estimate {

    static final double RESNET20_IMAGES_PER_SECOND = 800;

    /** GFLOPs at 224x224 of the torchvision layouts. */
    private static final Map<Integer, Double> RESNET_GFLOPS = Map.of(18, 1.82, 34, 3.67, 50, 4.11, 101, 7.83, 152, 11.56);

    private Estimate() {}

    public static Duration of(TrialConfig c, DataFactory.Shape shape) {
        double pixels = (double) shape.height() * shape.width();
        double cost;
        if (c.model().name().equals("resnet")) {
            double gflops = RESNET_GFLOPS.getOrDefault(c.model().depth(), 4.0) * pixels / (224.0 * 224.0);
            cost = gflops * (c.model().cifarStem() ? 16 : 1) / 0.041;
        } else {
            cost = Math.max(1, c.model().depth() - 2) / 18.0 * pixels / 1024.0;
        }
        double smallBatchPenalty = c.data().batchSize() < 32 ? 1.9 : 1.0;
        double trainImages = trainImages(c, shape);
        double valImages = valImages(c, shape);
        double epochs = c.steps() != null ? (double) c.steps() * c.data().batchSize() / Math.max(1, trainImages) : c.epochs();
        // forward passes cost about a third of a step
        double seconds = (epochs * trainImages * smallBatchPenalty + valPasses(c, valImages) * valImages / 3)
                * cost / RESNET20_IMAGES_PER_SECOND;
        return Duration.ofSeconds((long) Math.ceil(seconds + 3));
    }

    /** Per-trial work outside the timed steps (building the net, the first batches, writing results), seconds. */
    static final double TRIAL_OVERHEAD_SECONDS = 0.5;

    /**
     * The trial's time at this machine's measured step and eval-batch times: its training steps,
     * its evaluations (every epoch or every eval.every_steps) and the eval.stats passes after
     * training, plus a fixed per-trial overhead.
     */
    public static Duration of(TrialConfig c, DataFactory.Shape shape, MeasuredSpeed.Times t) {
        int batch = c.data().batchSize();
        long trainImages = trainImages(c, shape);
        long valImages = valImages(c, shape);
        long stepsPerEpoch = trainImages >= 2L * batch ? trainImages / batch : (trainImages + batch - 1) / batch;
        long steps = c.steps() != null ? c.steps() : c.epochs() * stepsPerEpoch;
        double valBatches = Math.ceil((double) valImages / t.valBatchSize());
        double seconds = steps * t.trainStepSeconds() + valPasses(c, valImages) * valBatches * t.evalBatchSeconds()
                + TRIAL_OVERHEAD_SECONDS;
        return Duration.ofMillis((long) Math.ceil(seconds * 1000));
    }

    /**
     * Forward passes over the validation set, counted in validation sets: one per evaluation
     * (every epoch, or every eval.every_steps and at the end), then those of eval.stats after
     * training (precise: precise_images in training batches and a validation pass; batch: a pass).
     */
    private static double valPasses(TrialConfig c, double valImages) {
        double passes = c.steps() != null ? Math.ceil((double) c.steps() / c.evalEverySteps()) : c.epochs();
        if (c.eval().stats().contains("precise")) {
            passes += 1 + c.eval().preciseImages() / valImages;
        }
        if (c.eval().stats().contains("batch")) {
            passes += 1;
        }
        return passes;
    }

    private static long trainImages(TrialConfig c, DataFactory.Shape shape) {
        return Math.min(shape.trainSize(), positiveOr(c.data().trainSubset(), shape.trainSize()));
    }

    private static long valImages(TrialConfig c, DataFactory.Shape shape) {
        return Math.min(shape.valSize(), positiveOr(c.data().valSubset(), shape.valSize()));
    }

    private static int positiveOr(int value, int fallback) {
        return value > 0 ? value : fallback;
    }
}

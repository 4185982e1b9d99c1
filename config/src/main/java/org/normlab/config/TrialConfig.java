package org.normlab.config;

import java.util.List;
import java.util.Map;

/**
 * The fully resolved settings of one trial, as written in a sweep file (keys in snake_case).
 * Defaults live in {@code defaults.yaml}; every record here checks its own values.
 */
public record TrialConfig(
        int epochs,
        String device,
        boolean checkpoints,
        DataConfig data,
        ModelConfig model,
        NormConfig norm,
        AttackConfig attack,
        OptimizerConfig optimizer,
        ScheduleConfig schedule,
        LossConfig loss,
        // resume (issue 18) and steps budgets (issue 17)
        CheckpointConfig checkpoint,
        Integer steps,
        EvalConfig eval,
        LogConfig log) {

    public static final List<String> DATASETS = List.of("fashion-mnist", "cifar10", "cifar100", "synthetic", "mix");

    /** @param datasets the data.name values allowed: {@link #DATASETS} and those of plugins */
    public void validate(Problems p, List<String> datasets) {
        p.atLeast(epochs, 1, "epochs");
        p.require(DeviceName.isValid(device), "device", "must be " + DeviceName.ALLOWED + " (got '" + device + "')");
        data.validate(p, datasets);
        model.validate(p);
        norm.validate(p);
        attack.validate(p);
        optimizer.validate(p);
        schedule.validate(p, epochs);
        loss.validate(p);
        checkpoint.validate(p);
        if (steps != null) {
            p.atLeast(steps, 1, "steps");
        }
        eval.validate(p);
        log.validate(p);
    }

    /** Evaluations every this many steps with a {@code steps} budget: as set, else a tenth of it (at least 1). */
    public long evalEverySteps() {
        if (steps == null) {
            return 0;
        }
        return eval.everySteps() != null ? eval.everySteps() : Math.max(1, steps / 10);
    }

    /** Where the data comes from, how it is batched and augmented. */
    public record DataConfig(
            String name,
            String path,
            int batchSize,
            int valBatchSize,
            int trainSubset,
            int valSubset,
            Integer channels,
            Integer size,
            SyntheticConfig synthetic,
            MixConfig mix,
            AugmentConfig augment,
            NormalizeConfig normalize) {

        void validate(Problems p, List<String> datasets) {
            p.oneOf(name, datasets, "data.name");
            p.atLeast(batchSize, 1, "data.batch_size");
            p.atLeast(valBatchSize, 1, "data.val_batch_size");
            p.atLeast(trainSubset, 0, "data.train_subset");
            p.atLeast(valSubset, 0, "data.val_subset");
            if (channels != null) {
                p.require(channels == 1 || channels == 3, "data.channels", "must be 1 or 3 (got " + channels + ")");
            }
            if (size != null) {
                p.atLeast(size, 8, "data.size");
            }
            synthetic.validate(p);
            mix.validate(p);
            augment.validate(p);
            normalize.validate(p);
        }
    }

    /** The deterministic synthetic dataset: class patterns plus noise. */
    public record SyntheticConfig(int classes, int channels, int size, int train, int val, double noise) {
        void validate(Problems p) {
            p.atLeast(classes, 2, "data.synthetic.classes");
            p.require(channels == 1 || channels == 3, "data.synthetic.channels", "must be 1 or 3 (got " + channels + ")");
            p.atLeast(size, 4, "data.synthetic.size");
            p.atLeast(train, 1, "data.synthetic.train");
            p.atLeast(val, 1, "data.synthetic.val");
            p.require(noise >= 0, "data.synthetic.noise", "must be >= 0 (got " + noise + ")");
        }
    }

    /** The mix-dataset attack: Fashion-MNIST trained together with a second distribution. */
    public record MixConfig(String pair, double ratio, String labels, String cifarPath) {
        public static final List<String> PAIRS = List.of("inverted", "shifted", "cifar10");

        void validate(Problems p) {
            p.oneOf(pair, PAIRS, "data.mix.pair");
            p.require(ratio > 0 && ratio < 1, "data.mix.ratio", "must be in (0, 1) (got " + ratio + ")");
            p.oneOf(labels, List.of("shared", "offset"), "data.mix.labels");
        }
    }

    /** Training-time augmentation, applied on whole batches. */
    public record AugmentConfig(
            int cropPadding, boolean flip, Integer resize, Integer randomResizedCrop) {
        void validate(Problems p) {
            p.atLeast(cropPadding, 0, "data.augment.crop_padding");
            if (resize != null) {
                p.atLeast(resize, 8, "data.augment.resize");
            }
            if (randomResizedCrop != null) {
                p.atLeast(randomResizedCrop, 8, "data.augment.random_resized_crop");
            }
        }
    }

    /** Per-channel normalization; empty lists mean the dataset's own statistics. */
    public record NormalizeConfig(List<Double> mean, List<Double> std) {
        void validate(Problems p) {
            p.require(mean.size() == std.size(), "data.normalize", "mean and std must have the same length");
            p.require(std.stream().allMatch(s -> s > 0), "data.normalize.std", "every std must be > 0");
        }
    }

    /**
     * Which network; see the models module for families and depths. {@code shortcut_norm} is
     * {@link #SAME_NORM} or a norm's name (checked against the norms when the sweep is validated).
     */
    public record ModelConfig(
            String name, int depth, String shortcut, String block, boolean cifarStem, String shortcutNorm, String init) {
        /** shortcut_norm: the projection shortcuts use the body's norm factory. */
        public static final String SAME_NORM = "same";

        void validate(Problems p) {
            p.oneOf(init, org.normlab.models.ConvInit.keys(), "model.init");
            p.oneOf(shortcut, List.of("auto", "A", "B"), "model.shortcut");
            p.oneOf(block, List.of("auto", "basic", "bottleneck"), "model.block");
            p.require(shortcutNorm != null && !shortcutNorm.isBlank(), "model.shortcut_norm",
                    "must be " + SAME_NORM + " or the name of a norm plugin");
        }

        /** Whether the projection shortcuts use the body's norm ({@code shortcut_norm: same}). */
        public boolean sameShortcutNorm() {
            return SAME_NORM.equals(shortcutNorm);
        }
    }

    /** The norm plugin by name, with its options (checked by the plugin's declared options). */
    public record NormConfig(String name, Map<String, Object> options) {
        void validate(Problems p) {
            p.require(name != null && !name.isBlank(), "norm.name", "must name a norm plugin");
        }
    }

    /**
     * A noise attack that wraps the norm: a wrapper plugin named here gets {@code inner} set to
     * {@code norm.name}. {@code none} trains the norm as it is.
     */
    public record AttackConfig(String name, Map<String, Object> options) {
        /** The norm trained as it is, without an attack. */
        public static AttackConfig none() {
            return new AttackConfig("none", Map.of());
        }

        public boolean isNone() {
            return "none".equals(name);
        }

        void validate(Problems p) {
            p.require(name != null && !name.isBlank(), "attack.name", "must be none or the name of a wrapper plugin");
            p.require(isNone() || !options.containsKey("inner"), "attack.options.inner",
                    "is set from norm.name; do not set it here");
        }
    }

    /**
     * SGD with momentum, PyTorch semantics. The lr used is {@code lr} scaled by {@code
     * lr_scaling} with the batch size against {@code reference_batch} (Goyal et al. 2017: linear;
     * Hoffer et al. 2017: sqrt).
     */
    public record OptimizerConfig(String name, double lr, double momentum, boolean nesterov, double weightDecay,
            String lrScaling, int referenceBatch) {
        public static final List<String> LR_SCALINGS = List.of("none", "linear", "sqrt");

        /** lr x (batch / reference_batch), its square root, or lr itself. */
        public double scaledLr(int batchSize) {
            double ratio = (double) batchSize / referenceBatch;
            return switch (lrScaling) {
                case "linear" -> lr * ratio;
                case "sqrt" -> lr * Math.sqrt(ratio);
                default -> lr;
            };
        }

        void validate(Problems p) {
            p.oneOf(lrScaling, LR_SCALINGS, "optimizer.lr_scaling");
            p.atLeast(referenceBatch, 1, "optimizer.reference_batch");
            p.oneOf(name, List.of("sgd"), "optimizer.name");
            p.require(lr > 0, "optimizer.lr", "must be > 0 (got " + lr + ")");
            p.require(momentum >= 0 && momentum < 1, "optimizer.momentum", "must be in [0, 1) (got " + momentum + ")");
            p.require(!nesterov || momentum > 0, "optimizer.nesterov", "needs momentum > 0");
            p.require(weightDecay >= 0, "optimizer.weight_decay", "must be >= 0 (got " + weightDecay + ")");
        }
    }

    /** Learning-rate schedule over epochs, with optional linear warm-up. */
    public record ScheduleConfig(String name, List<Integer> milestones, double gamma, int warmupEpochs) {
        void validate(Problems p, int epochs) {
            p.oneOf(name, List.of("constant", "multistep", "cosine"), "schedule.name");
            p.require(gamma > 0 && gamma <= 1, "schedule.gamma", "must be in (0, 1] (got " + gamma + ")");
            p.atLeast(warmupEpochs, 0, "schedule.warmup_epochs");
            for (int i = 0; i < milestones.size(); i++) {
                int m = milestones.get(i);
                p.require(m >= 1 && (i == 0 || m > milestones.get(i - 1)), "schedule.milestones",
                        "must be increasing epochs >= 1 (got " + milestones + ")");
            }
        }
    }

    /** Softmax cross-entropy, optionally label-smoothed. */
    public record LossConfig(String name, double labelSmoothing) {
        void validate(Problems p) {
            p.oneOf(name, List.of("cross_entropy"), "loss.name");
            p.require(labelSmoothing >= 0 && labelSmoothing < 1, "loss.label_smoothing",
                    "must be in [0, 1) (got " + labelSmoothing + ")");
        }
    }

    // ---- instruments for batch-noise research (issue 17): eval.stats, log.layers

    /**
     * How a trained model is evaluated at the end (Wu and Johnson 2021): {@code ema} with the
     * running statistics, {@code precise} with population statistics recomputed over
     * {@code precise_images} training images, {@code batch} with batch statistics at
     * {@code batch_size} (null: data.batch_size). With a {@code steps} budget, {@code every_steps}
     * says when to evaluate besides at its end (null: every tenth of the budget).
     */
    public record EvalConfig(Integer everySteps, List<String> stats, int preciseImages, Integer batchSize) {
        public static final List<String> STATS = List.of("ema", "precise", "batch");

        void validate(Problems p) {
            p.require(!stats.isEmpty(), "eval.stats", "must list at least one of " + String.join(", ", STATS));
            for (String s : stats) {
                p.oneOf(s, STATS, "eval.stats");
            }
            p.require(stats.stream().distinct().count() == stats.size(), "eval.stats",
                    "lists a value twice (got " + stats + ")");
            p.atLeast(preciseImages, 1, "eval.precise_images");
            if (everySteps != null) {
                p.atLeast(everySteps, 1, "eval.every_steps");
            }
            if (batchSize != null) {
                p.atLeast(batchSize, 1, "eval.batch_size");
            }
        }

        /** data.batch_size unless eval.batch_size is set. */
        public int batchSizeOr(int trainingBatch) {
            return batchSize != null ? batchSize : trainingBatch;
        }
    }

    /** When the resume state is saved besides after every evaluation. */
    public record CheckpointConfig(int everySteps) {
        void validate(Problems p) {
            p.atLeast(everySteps, 0, "checkpoint.every_steps");
        }
    }
}

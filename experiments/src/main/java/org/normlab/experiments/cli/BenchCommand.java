package org.normlab.experiments.cli;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.normlab.data.ImageShape;
import org.normlab.results.UserError;
import org.normlab.engine.CrossEntropy;
import org.normlab.engine.LayerLog;
import org.normlab.engine.Memory;
import org.normlab.engine.TrainStep;
import com.google.inject.Injector;
import org.normlab.config.Defaults;
import org.normlab.config.TrialConfig;
import org.normlab.engine.assembly.ModelFactory;
import org.normlab.engine.assembly.TrialAssembly;
import org.normlab.engine.assembly.TrialNorms;
import org.normlab.models.Models;
import org.normlab.norm.NormConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bench}: throughput of the real training step (forward, loss, backward, SGD) and of eval
 * forward on synthetic batches, printed as {@code RESULT ...} lines in the form of
 * shared/bench/pytorch_peer.py, so the two can be compared line by line.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure training-step and eval throughput (images/s) on synthetic batches.")
public class BenchCommand implements Callable<Integer> {

    @Option(names = "--model", paramLabel = "NAME",
            description = "resnet20, resnet56, resnet18, ..., or a model family by name with --depth, a plugin's too (default ${DEFAULT-VALUE})")
    String model = "resnet20";

    @Option(names = "--depth", paramLabel = "D", description = "the depth, when --model names a model family (--model small_vgg --depth 2)")
    Integer depth;

    @Option(names = "--norm", paramLabel = "NAME", description = "norm plugin (default ${DEFAULT-VALUE}, a sweep's default norm.name)")
    String norm = Defaults.normName();

    @Option(names = "--norm-option", paramLabel = "KEY=VALUE", description = "an option of the norm (repeatable)")
    Map<String, String> normOptions = new LinkedHashMap<>();

    @Option(names = "--batch", paramLabel = "B", description = "batch size (default ${DEFAULT-VALUE})")
    int batch = 128;

    @Option(names = "--input", paramLabel = "CxHxW", converter = ImageShapeConverter.class, description = "default 3x32x32")
    ImageShape input = new ImageShape(3, 32, 32);

    @Option(names = "--classes", paramLabel = "K", description = "default ${DEFAULT-VALUE}")
    int classes = 10;

    @Option(names = "--mode", paramLabel = "train|eval|both", description = "default ${DEFAULT-VALUE}")
    String mode = "both";

    @Option(names = "--warmup", paramLabel = "W", description = "untimed iterations first (default ${DEFAULT-VALUE})")
    int warmup = 5;

    @Option(names = "--iters", paramLabel = "I", description = "timed iterations (default ${DEFAULT-VALUE})")
    int iters = 40;

    @Option(names = "--layers-every", paramLabel = "K",
            description = "sample layers.csv every K training steps, as log.layers.every_steps does (default 0 = off); "
                    + "compare with a run without it for the per-layer log's overhead")
    int layersEvery = 0;

    @Option(names = "--batch-noise",
            description = "with --layers-every: measure batch_noise on the sampled steps too, as log.layers.batch_noise "
                    + "does (its other images: another of the bench's batches)")
    boolean batchNoise;

    @Mixin CommonOptions common;

    @Override
    public Integer call() throws IOException {
        if (!mode.matches("train|eval|both")) {
            throw new UserError("--mode must be train, eval or both (got '" + mode + "')");
        }
        if (batch < 1 || iters < 1 || warmup < 0 || layersEvery < 0) {
            throw new UserError("--batch and --iters must be at least 1, --warmup and --layers-every at least 0");
        }
        if (batchNoise && (layersEvery == 0 || batch < 2)) {
            throw new UserError("--batch-noise is measured on the steps --layers-every samples and needs --batch at least 2: "
                    + "set --layers-every K > 0 too");
        }
        Injector core = common.coreInjector();
        TrialAssembly assembly = core.getInstance(TrialAssembly.class);
        TrialNorms norms = assembly.norms(new TrialConfig.NormConfig(norm, new LinkedHashMap<String, Object>(normOptions)),
                TrialConfig.AttackConfig.none(), TrialConfig.ModelConfig.SAME_NORM, 0);
        ModelChoice choice = ModelChoice.of(model, depth, TrialConfig.ModelConfig.SAME_NORM, core.getInstance(ModelFactory.class),
                classes, input.channels());
        Block block;
        try {
            block = assembly.model(choice.config(), norms, classes, input.channels());
        } catch (NormConfigException e) {
            throw e; // a norm that does not fit a layer: the message says which
        } catch (IllegalArgumentException e) {
            throw new UserError("--model " + model + ": " + e.getMessage());
        }
        Engine.getInstance().setRandomSeed(0);
        try (NDManager manager = NDManager.newBaseManager()) {
            Shape shape = new Shape(batch, input.channels(), input.height(), input.width());
            block.initialize(manager, DataType.FLOAT32, shape);
            System.out.printf("normlab engine %s threads %s params %d%n", Engine.getInstance().getVersion(),
                    System.getProperty("ai.djl.pytorch.num_threads", "default"), Models.trainableParameters(block));
            NDArray[] xs = new NDArray[4];
            NDArray[] ys = new NDArray[4];
            for (int i = 0; i < 4; i++) {
                xs[i] = manager.randomNormal(shape);
                ys[i] = manager.randomInteger(0, classes, new Shape(batch), DataType.INT64).toType(DataType.FLOAT32, false);
            }
            String prefix = String.format(Locale.ROOT, "RESULT model=%s norm=%s", model, norm);
            String suffix = String.format(Locale.ROOT, "batch=%d in=%s iters=%d", batch, input, iters)
                    + (layersEvery > 0 ? " layers_every=" + layersEvery : "") + (batchNoise ? " batch_noise=true" : "");
            if (!mode.equals("eval")) {
                Path layersFile = layersEvery > 0 ? Files.createTempFile("bench-layers", ".csv") : null;
                LayerLog layers = layersEvery > 0
                        ? new LayerLog(new LayerLog.Plan(layersEvery, norms.normalizationBatch(batch), batchNoise, norms::nameOf),
                                block, layersFile, norm, line -> {},
                                (m, epoch, b, count) -> {
                                    NDArray other = xs[(b + 1) % xs.length].duplicate();
                                    other.attach(m);
                                    return other;
                                })
                        : null;
                try (TrainStep step = new TrainStep(block, manager, new CrossEntropy(0), 0.9, 5e-4, false)) {
                    float loss = 0;
                    long t0 = 0;
                    double rssAt100 = -1;
                    StepTimes times = new StepTimes();
                    for (int it = 0; it < warmup + iters; it++) {
                        if (it == warmup) {
                            t0 = System.nanoTime();
                        }
                        if (it == 100) {
                            rssAt100 = Memory.residentMegabytes();
                        }
                        long stepStart = System.nanoTime();
                        double held;
                        try (NDManager scope = manager.newSubManager()) {
                            NDArray x = xs[it % 4].duplicate();
                            NDArray y = ys[it % 4].duplicate();
                            x.attach(scope);
                            y.attach(scope);
                            if (layers != null) {
                                layers.beforeStep(it, 0, it % 4, x);
                            }
                            loss = step.step(x, y, 0.05f).loss();
                            if (layers != null) {
                                layers.afterStep(it, 0);
                            }
                            held = StepTimes.megabytes(scope.getManagedArrays());
                        }
                        if (it >= warmup) {
                            // LayerLog samples the steps numbered 0, K, 2K, ...
                            times.add(layersEvery > 0 && it % layersEvery == 0, System.nanoTime() - stepStart, held);
                        }
                    }
                    if (layers != null) {
                        layers.write(); // as at an epoch's end
                    }
                    double sec = (System.nanoTime() - t0) / 1e9;
                    System.out.printf(Locale.ROOT, "%s mode=train %s sec=%.3f img_s=%.1f ms_iter=%.1f loss=%.4f%n",
                            prefix, suffix, sec, iters * batch / sec, sec * 1000 / iters, loss);
                    System.out.println(times.line());
                    if (rssAt100 > 0) {
                        double end = Memory.residentMegabytes();
                        System.out.printf(Locale.ROOT, "MEMORY rss_mb_at_iter_100=%.1f rss_mb_at_iter_%d=%.1f growth_pct=%.2f%n",
                                rssAt100, warmup + iters, end, 100 * (end - rssAt100) / rssAt100);
                    }
                } finally {
                    if (layersFile != null) {
                        Files.deleteIfExists(layersFile);
                    }
                }
            }
            if (!mode.equals("train")) {
                TrainStep eval = new TrainStep(block, manager, new CrossEntropy(0), 0, 0, false);
                long t0 = 0;
                for (int it = 0; it < warmup + iters; it++) {
                    if (it == warmup) {
                        t0 = System.nanoTime();
                    }
                    try (NDManager scope = manager.newSubManager()) {
                        NDArray x = xs[it % 4].duplicate();
                        x.attach(scope);
                        eval.predict(x).argMax(1).toLongArray();
                    }
                }
                double sec = (System.nanoTime() - t0) / 1e9;
                System.out.printf(Locale.ROOT, "%s mode=eval %s sec=%.3f img_s=%.1f ms_iter=%.1f%n",
                        prefix, suffix, sec, iters * batch / sec, sec * 1000 / iters);
            }
        }
        return 0;
    }
}

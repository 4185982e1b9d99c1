package org.normlab.engine.assembly;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import com.google.inject.Inject;
import org.normlab.config.TrialConfig;
import org.normlab.data.BatchLoader;
import org.normlab.data.BatchTransform;
import org.normlab.data.DataSplit;
import org.normlab.data.Datasets;
import org.normlab.data.ImageSet;
import org.normlab.data.ImageShape;
import org.normlab.data.MixDataset;
import org.normlab.data.SyntheticImages;
import org.normlab.data.TransformPipeline;
import org.normlab.data.Transforms;
import org.normlab.engine.BatchSource;
import org.normlab.engine.TrialData;

/**
 * Data settings of a sweep file to the data package: reads each dataset once per process (trials
 * of a sweep share it), takes the seeded subsets, adapts channels, and builds the train pipeline
 * (resize, random-resized-crop, random crop with padding, flip, normalize) and the eval pipeline
 * (resize, normalize). Datasets themselves do not depend on the trial seed (the synthetic and
 * mixed ones are generated with seed 0); subsets, order and augmentation do.
 */
@Singleton
public final class DefaultDataFactory implements DataFactory {

    private final Map<String, DataSplit> cache = new ConcurrentHashMap<>();
    private final Map<String, DatasetReader> readers;

    @Inject
    DefaultDataFactory(Map<String, DatasetReader> readers) {
        this.readers = readers;
    }

    /** Every data.name a sweep file may use: the built-in ones, then those of plugins. */
    @Override
    public List<String> names() {
        List<String> names = new ArrayList<>(TrialConfig.DATASETS);
        readers.keySet().stream().filter(n -> !names.contains(n)).forEach(names::add);
        return names;
    }

    @Override
    public TrialData load(TrialConfig.DataConfig d, long seed) {
        DataSplit split = adapted(d, seed);
        ImageSet train = split.train();
        ImageSet val = split.test();
        double[] mean = d.normalize().mean().isEmpty() ? train.channelMeans() : toArray(d.normalize().mean());
        double[] std = d.normalize().std().isEmpty() ? train.channelStds() : toArray(d.normalize().std());
        TransformPipeline trainPipeline = TransformPipeline.of(trainSteps(d, mean, std));
        TransformPipeline evalPipeline = TransformPipeline.of(evalSteps(d, mean, std));
        BatchLoader.Builder trainBuilder = BatchLoader.builder(train).batchSize(d.batchSize()).shuffle(true)
                .dropLast(train.size() >= 2 * d.batchSize()).pipeline(trainPipeline).seed(seed);
        BatchLoader trainLoader = trainBuilder.build();
        BatchLoader valLoader = BatchLoader.builder(val).batchSize(d.valBatchSize()).shuffle(false)
                .dropLast(false).pipeline(evalPipeline).seed(seed).build();
        ImageShape shape = trainLoader.outputShape();
        // a second loader with the same settings hands out single batches during an epoch of the first
        return new TrialData(source(trainLoader, trainBuilder), source(valLoader, null),
                shape.channels(), shape.height(), shape.width(), train.numClasses());
    }

    @Override
    public Shape probe(TrialConfig.DataConfig d) {
        DataSplit split = raw(d);
        ImageShape in = split.train().shape();
        int channels = d.channels() != null ? d.channels() : in.channels();
        ImageShape out = TransformPipeline.of(evalSteps(d, new double[channels], ones(channels)))
                .outputShape(new ImageShape(channels, in.height(), in.width()));
        int train = subsetSize(d, "data.train_subset", d.trainSubset(), split.train().size(), "training");
        int val = subsetSize(d, "data.val_subset", d.valSubset(), split.test().size(), "validation");
        return new Shape(out.channels(), out.height(), out.width(), split.train().numClasses(), train, val);
    }

    /**
     * The images a subset setting takes from a split: all of them for 0, else the subset, which
     * may not be more than the split holds (taking fewer than asked for would change the
     * experiment without a word).
     *
     * @throws DataSettingError naming the key, its value and the split's size
     */
    private static int subsetSize(TrialConfig.DataConfig d, String key, int subset, int splitSize, String split) {
        if (subset > splitSize) {
            throw new DataSettingError(key, String.format(
                    "%d is more than the %d %s images of %s; use at most %d, or 0 for all of them",
                    subset, splitSize, split, d.name(), splitSize));
        }
        return subset > 0 ? subset : splitSize;
    }

    /** The dataset with subsets taken and channels adapted. */
    private DataSplit adapted(TrialConfig.DataConfig d, long seed) {
        DataSplit split = raw(d);
        int trainSize = subsetSize(d, "data.train_subset", d.trainSubset(), split.train().size(), "training");
        int valSize = subsetSize(d, "data.val_subset", d.valSubset(), split.test().size(), "validation");
        ImageSet train = d.trainSubset() > 0 ? split.train().subset(trainSize, seed) : split.train();
        ImageSet val = d.valSubset() > 0 ? split.test().subset(valSize, seed) : split.test();
        if (d.channels() != null) {
            train = train.toChannels(d.channels());
            val = val.toChannels(d.channels());
        }
        return new DataSplit(train, val);
    }

    private DataSplit raw(TrialConfig.DataConfig d) {
        String key = d.name() + "|" + d.path() + "|" + (d.name().equals("synthetic") ? d.synthetic() : "")
                + "|" + (d.name().equals("mix") ? d.mix() : "");
        return cache.computeIfAbsent(key, k -> read(d));
    }

    private DataSplit read(TrialConfig.DataConfig d) {
        Path path = d.path() == null ? null : Path.of(d.path());
        switch (d.name()) {
            case "synthetic":
                TrialConfig.SyntheticConfig s = d.synthetic();
                return SyntheticImages.builder().shape(s.channels(), s.size(), s.size()).classes(s.classes())
                        .trainSize(s.train()).testSize(s.val()).noise(s.noise()).seed(0).build().generate();
            case "mix":
                TrialConfig.MixConfig m = d.mix();
                MixDataset.Spec spec = MixDataset.Spec.of(MixDataset.Partner.parse(m.pair()), m.ratio(),
                        MixDataset.LabelMode.parse(m.labels()), 0);
                return MixDataset.load(spec, path, m.cifarPath() == null ? null : Path.of(m.cifarPath()));
            default:
                DatasetReader reader = readers.get(d.name());
                return reader != null ? reader.read(path) : Datasets.load(d.name(), path);
        }
    }

    private static List<BatchTransform> trainSteps(TrialConfig.DataConfig d, double[] mean, double[] std) {
        List<BatchTransform> steps = new ArrayList<>();
        TrialConfig.AugmentConfig a = d.augment();
        if (a.resize() != null) {
            steps.add(Transforms.resize(a.resize()));
        } else if (d.size() != null) {
            steps.add(Transforms.resize(d.size()));
        }
        if (a.randomResizedCrop() != null) {
            steps.add(Transforms.randomResizedCrop(a.randomResizedCrop()));
        }
        if (a.cropPadding() > 0) {
            steps.add(Transforms.randomCrop(a.cropPadding()));
        }
        if (a.flip()) {
            steps.add(Transforms.horizontalFlip(0.5));
        }
        steps.add(Transforms.normalize(mean, std));
        return steps;
    }

    /** Eval images get the train pipeline's final size, without randomness. */
    private static List<BatchTransform> evalSteps(TrialConfig.DataConfig d, double[] mean, double[] std) {
        List<BatchTransform> steps = new ArrayList<>();
        Integer size = d.augment().randomResizedCrop() != null ? d.augment().randomResizedCrop()
                : d.augment().resize() != null ? d.augment().resize() : d.size();
        if (size != null) {
            steps.add(Transforms.resize(size));
        }
        steps.add(Transforms.normalize(mean, std));
        return steps;
    }

    /** The loader as a batch source; {@code single}, when not null, builds the loader of {@link BatchSource#images}. */
    private static BatchSource source(BatchLoader loader, BatchLoader.Builder single) {
        return new BatchSource() {
            private BatchLoader singles;

            @Override
            public NDArray images(NDManager manager, int epoch, int batch) {
                if (single == null) {
                    return BatchSource.super.images(manager, epoch, batch);
                }
                if (singles == null) {
                    singles = single.prefetch(false).build();
                }
                return singles.batch(manager, epoch, batch).x();
            }

            @Override
            public int size() {
                return loader.set().size();
            }

            @Override
            public int batches() {
                return loader.numBatches();
            }

            @Override
            public List<String> componentNames() {
                return loader.set().hasComponents() ? loader.set().componentNames() : List.of();
            }

            @Override
            public void forEachBatch(NDManager manager, int epoch, Consumer consumer) {
                loader.forEachBatch(manager, epoch, b -> consumer.accept(b.x(), b.y(), b.components()));
            }

            /** Only the batches asked for are made (a steps budget ending mid-epoch, a resume). */
            @Override
            public void forEachBatch(NDManager manager, int epoch, int from, int to, NumberedConsumer consumer) {
                loader.forEachBatch(manager, epoch, from, to, b -> consumer.accept(b.index(), b.x(), b.y(), b.components()));
            }
        };
    }

    private static double[] toArray(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double[] ones(int n) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, 1);
        return a;
    }
}

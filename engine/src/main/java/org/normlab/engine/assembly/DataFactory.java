package org.normlab.engine.assembly;

import java.util.List;
import org.normlab.config.TrialConfig;
import org.normlab.engine.TrialData;

/** Loads a trial's data: readers, subsets, transforms and batching behind one call. */
public interface DataFactory {

    /**
     * @param data the trial's data settings
     * @param seed the trial's seed (subsets, order, augmentation)
     */
    TrialData load(TrialConfig.DataConfig data, long seed);

    /**
     * What {@link #load} would deliver, found cheaply (headers, not pixels), so that a sweep is
     * checked before anything trains.
     *
     * @throws RuntimeException with a clear message when the dataset is missing or broken
     */
    Shape probe(TrialConfig.DataConfig data);

    /** Every {@code data.name} a sweep may use. */
    List<String> names();

    /** The images the model will see, and how many. */
    record Shape(int channels, int height, int width, int classes, int trainSize, int valSize) {}
}

package org.normlab.instruments;

import ai.djl.nn.Block;
import java.util.ArrayList;
import java.util.List;
import org.normlab.norm.ResumableRandom;
import org.normlab.norm.Standardizable;
import org.normlab.norm.Standardizer;

/**
 * The model's own random streams (noise attacks), in block order: what a checkpoint must carry,
 * and what an instrument that runs extra training-mode passes must put back.
 */
public final class RandomStreams {

    private RandomStreams() {}

    public static List<ResumableRandom> of(Block model) {
        List<ResumableRandom> found = new ArrayList<>();
        collect(model, found);
        return found;
    }

    private static void collect(Block block, List<ResumableRandom> found) {
        if (block instanceof ResumableRandom r) {
            found.add(r);
        }
        if (block instanceof Standardizable s) {
            // every decorator of the step, not only the outermost (ghost around gaussian)
            for (Standardizer step = s.getStandardizer(); step != null; step = step.decorated()) {
                if (step instanceof ResumableRandom r) {
                    found.add(r);
                }
            }
        }
        block.getChildren().values().forEach(child -> collect(child, found));
    }
}

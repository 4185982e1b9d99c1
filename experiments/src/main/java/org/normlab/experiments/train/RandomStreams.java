package org.normlab.experiments.train;

import ai.djl.nn.Block;
import java.util.ArrayList;
import java.util.List;
import org.normlab.norm.ResumableRandom;
import org.normlab.norm.Standardizable;

/** The model's own random streams (noise attacks), in block order, which a checkpoint must carry. */
final class RandomStreams {

    private RandomStreams() {}

    static List<ResumableRandom> of(Block model) {
        List<ResumableRandom> found = new ArrayList<>();
        collect(model, found);
        return found;
    }

    private static void collect(Block block, List<ResumableRandom> found) {
        if (block instanceof ResumableRandom r) {
            found.add(r);
        }
        if (block instanceof Standardizable s && s.getStandardizer() instanceof ResumableRandom r) {
            found.add(r);
        }
        block.getChildren().values().forEach(child -> collect(child, found));
    }
}

package org.normlab.instruments;

import ai.djl.nn.Block;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import org.normlab.norm.AbstractBatchNormBlock;

/**
 * Finds a model's norm layers with running statistics: every {@link AbstractBatchNormBlock}
 * (bn, iebn, noise wrappers around them, which are the inner block itself, and third-party
 * subclasses). Norms without running statistics are not listed; an empty list is how a caller
 * learns that the model has none.
 */
public final class NormLayers {

    private NormLayers() {}

    /** Depth first through the children in their order; a norm layer's own children are not searched. */
    public static List<NormLayer> find(Block model) {
        List<NormLayer> found = new ArrayList<>();
        visit(model, "", found);
        return List.copyOf(found);
    }

    private static void visit(Block block, String path, List<NormLayer> found) {
        if (block instanceof AbstractBatchNormBlock norm) {
            found.add(new NormLayer(found.size(), path, norm));
            return;
        }
        for (Pair<String, Block> child : block.getChildren()) {
            visit(child.getValue(), path.isEmpty() ? child.getKey() : path + "/" + child.getKey(), found);
        }
    }
}

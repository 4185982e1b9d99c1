package org.normlab.instruments;

import org.normlab.norm.AbstractBatchNormBlock;

/**
 * A norm layer with running statistics inside a model.
 *
 * @param index its position among the model's norm layers, 0 first, in the order {@link
 *     NormLayers#find} visits the block tree (the forward order of sequential models)
 * @param path the child names from the model down to the layer, joined by '/'
 * @param block the layer
 */
public record NormLayer(int index, String path, AbstractBatchNormBlock block) {

    /** The number of channels, once the model is initialized. */
    public long channels() {
        return block.storedRunningStats().mean().getShape().get(0);
    }
}

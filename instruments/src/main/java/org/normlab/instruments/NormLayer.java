package org.normlab.instruments;

import java.util.EnumSet;
import java.util.Set;
import org.normlab.norm.AbstractBatchNormBlock;
import org.normlab.norm.RunningStatistic;
import org.normlab.norm.Standardizer;

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

    /**
     * The layer's own step: the one it normalizes with, beneath any attack. Read it while no
     * instrument has replaced the step.
     */
    public Standardizer ownStep() {
        return block.getStandardizer().undecorated();
    }

    /**
     * The running statistics the layer's own step keeps ({@link Standardizer#keeps()}), the only
     * ones an instrument may recompute or compare a batch with. Read it while no instrument has
     * replaced the step.
     */
    public Set<RunningStatistic> kept() {
        Set<RunningStatistic> kept = EnumSet.noneOf(RunningStatistic.class);
        kept.addAll(ownStep().keeps());
        if (!block.hasRunningVariance()) {
            kept.remove(RunningStatistic.VARIANCE); // a step cannot keep what the block does not have
        }
        return kept;
    }
}

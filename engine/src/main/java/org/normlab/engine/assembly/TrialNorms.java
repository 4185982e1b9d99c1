package org.normlab.engine.assembly;

import ai.djl.nn.Block;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import org.normlab.instruments.NormLayers;
import org.normlab.norm.NormFactory;

/**
 * A trial's two norm factories, the body's and the projection shortcuts', each remembering the
 * norm layers it built with the norm name layers.csv gives them ({@link #nameOf}), and how many
 * samples the body's layers normalize together.
 */
public final class TrialNorms {

    /** Every norm layer built, with the name of the norm that built it. */
    private final Map<Block, String> built = Collections.synchronizedMap(new IdentityHashMap<>());
    private final NormFactory body;
    private final NormFactory shortcut;
    private final String bodyName;
    private final java.util.function.IntUnaryOperator normalizationBatch;

    /**
     * @param bodyName the name body layers get in layers.csv ({@code norm.name}; an attack is in
     *     the trial's config)
     * @param shortcut {@code body} itself for {@code same}, else the shortcut norm's factory
     * @param shortcutName the name shortcut layers get when {@code shortcut} is not {@code body}
     * @param normalizationBatch the samples a body layer normalizes together, for a batch size
     */
    TrialNorms(NormFactory body, String bodyName, NormFactory shortcut, String shortcutName,
            java.util.function.IntUnaryOperator normalizationBatch) {
        this.bodyName = bodyName;
        this.body = recording(body, bodyName);
        this.shortcut = shortcut == body ? this.body : recording(shortcut, shortcutName);
        this.normalizationBatch = normalizationBatch;
    }

    public NormFactory body() {
        return body;
    }

    public NormFactory shortcut() {
        return shortcut;
    }

    /** The norm name a layer of the model gets in layers.csv: that of the factory that built it, else the body's. */
    public String nameOf(Block layer) {
        return built.getOrDefault(layer, bodyName);
    }

    /** How many samples of a training batch of {@code batchSize} each body layer normalizes together. */
    public int normalizationBatch(int batchSize) {
        return normalizationBatch.applyAsInt(batchSize);
    }

    /** The factory, remembering which norm built each of its norm layers. */
    private NormFactory recording(NormFactory factory, String name) {
        return new NormFactory() {
            @Override
            public Block create(int channels) {
                return remember(factory.create(channels));
            }

            @Override
            public Block create(int channels, boolean applyActivation) {
                return remember(factory.create(channels, applyActivation));
            }

            @Override
            public boolean carriesActivation() {
                return factory.carriesActivation();
            }

            private Block remember(Block block) {
                NormLayers.find(block).forEach(l -> built.putIfAbsent(l.block(), name));
                return block;
            }
        };
    }
}

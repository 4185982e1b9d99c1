package org.normlab.norm;

import ai.djl.nn.Block;
import java.util.List;

/**
 * The NormLayer SPI. Implementations are found with {@link java.util.ServiceLoader}: list the
 * class in {@code META-INF/services/org.normlab.norm.NormProvider} of your jar.
 */
public interface NormProvider {

    /** The unique name used in sweep files, for example {@code "iebn"}. */
    String name();

    /** One line for {@code norms}. */
    String description();

    /** The options this norm accepts; values reach {@link #create} validated, defaults filled. */
    List<NormOption> options();

    /**
     * Builds one norm layer for {@code spec.channels()} channels, the real channel count of the
     * layer in the model being built: reject options that do not fit it here.
     *
     * @throws NormConfigException when the options are inconsistent with each other or with the
     *     channel count; the message names the channels
     */
    Block create(NormSpec spec);

    /**
     * Checks what can be checked before any layer exists (options against each other, names of
     * other norms), when a factory is made; the default checks nothing. Checks against the
     * channel count belong in {@link #create}.
     *
     * @throws NormConfigException naming the option at fault
     */
    default void validate(NormOptions options, NormRegistry registry) {}

    /**
     * Whether the layer includes its activation, as FRN's TLU and the EvoNorms (timm's
     * {@code create_norm_act}). Models then add no ReLU after such a norm, and build it with
     * {@link NormSpec#applyActivation()} false where no activation follows it (before a residual
     * addition, in a shortcut), as timm's {@code apply_act=False}.
     */
    default boolean carriesActivation() {
        return false;
    }

    /**
     * How many samples of a training batch of {@code batchSize} each layer normalizes together,
     * for the per-layer log's batch statistics (layers.csv): the whole batch by default. A norm
     * that cuts the batch into virtual batches (ghost batch norm) says their size; a wrapper asks
     * the norm it wraps ({@code registry}).
     *
     * @param options this norm's options, validated, defaults filled in
     */
    default int normalizationBatch(NormOptions options, int batchSize, NormRegistry registry) {
        return batchSize;
    }
}

package org.normlab.norm;

/**
 * What a provider needs to build one norm layer.
 *
 * @param channels the number of channels (axis 1 of an NCHW input) of this layer in the model
 * @param options the validated options
 * @param registry the registry that resolved this norm, so a wrapper can build the norm it wraps
 * @param layerIndex 0-based position of this layer among those built by the same factory, in
 *     construction order; lets a layer derive its own random stream from a trial seed
 * @param applyActivation for a provider that {@link NormProvider#carriesActivation() carries its
 *     activation}: false where the model puts no activation after this norm, so the layer leaves
 *     its activation part out (timm's {@code apply_act=False}); always true for other providers
 */
public record NormSpec(int channels, NormOptions options, NormRegistry registry, int layerIndex, boolean applyActivation) {

    /** A layer with its activation part, if it has one. */
    public NormSpec(int channels, NormOptions options, NormRegistry registry, int layerIndex) {
        this(channels, options, registry, layerIndex, true);
    }
}

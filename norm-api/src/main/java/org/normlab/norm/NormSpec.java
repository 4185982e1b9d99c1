package org.normlab.norm;

/**
 * What a provider needs to build one norm layer.
 *
 * @param channels the number of channels (axis 1 of an NCHW input)
 * @param options the validated options
 * @param registry the registry that resolved this norm, so a wrapper can build the norm it wraps
 * @param layerIndex 0-based position of this layer among those built by the same factory, in
 *     construction order; lets a layer derive its own random stream from a trial seed
 */
public record NormSpec(int channels, NormOptions options, NormRegistry registry, int layerIndex) {}

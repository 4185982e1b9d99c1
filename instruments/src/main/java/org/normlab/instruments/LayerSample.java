package org.normlab.instruments;

import java.util.Map;

/**
 * One norm layer on one sampled training batch: a row of {@code layers.csv} without its step,
 * epoch and norm name, which the caller knows.
 *
 * @param layer the layer (its index is the {@code layer} column)
 * @param channels C
 * @param meanDev mean over channels of |mu_B - mu_run| / sqrt(var_run + eps); NaN when the
 *     layer's own step does not keep both running statistics ({@link NormLayer#kept()})
 * @param stdLogRatio mean over channels of |log(sigma_B / sigma_run)|, sigma_B = sqrt(var_B + eps)
 *     with var_B the biased batch variance (the one the layer divides by in training),
 *     sigma_run = sqrt(var_run + eps) (the one it divides by in eval); NaN when the layer's own step does not keep the
 *     running variance
 * @param extra the layer's own values when it is a {@link org.normlab.norm.LayerProbe} (IEBN:
 *     gate_mean, gate_std, gate_min, gate_max), else empty; in the layer's order
 */
public record LayerSample(NormLayer layer, long channels, double meanDev, double stdLogRatio, Map<String, Double> extra) {

    public LayerSample {
        extra = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(extra));
    }
}

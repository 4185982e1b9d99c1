package org.normlab.norm;

import java.util.List;

/** The options every batch-statistics norm shares, with PyTorch's defaults and conventions. */
public final class BatchNormOptions {

    public static final NormOption EPS =
            NormOption.positive("eps", 1e-5, 1.0, "added to the variance before the square root");
    public static final NormOption MOMENTUM = NormOption.real(
            "momentum", 0.1, 0.0, 1.0, "PyTorch convention: running = (1-m) * running + m * batch");
    public static final NormOption AFFINE = NormOption.bool("affine", true, "learn a per-channel scale and shift");

    /** eps, momentum, affine. */
    public static final List<NormOption> ALL = List.of(EPS, MOMENTUM, AFFINE);

    private BatchNormOptions() {}
}

package org.normlab.norm;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/**
 * Optional capability for plugin authors: a norm layer that exposes its own per-layer values
 * (IEBN: its gate's mean, std, min and max) to NormLab's per-layer log ({@code layers.csv}).
 *
 * <p>When the log samples a training step it calls {@link #probe} once per layer, during that
 * step's forward pass, with the tensor the layer hands its batch-normalized step ({@link
 * Standardizable}); for bn and iebn that is the layer's input. Only layers whose step can be
 * observed are asked, so today: subclasses of {@link AbstractBatchNormBlock}. A layer with a
 * fused fast path keeps it on sampled steps by asking {@link
 * AbstractBatchNormBlock#fusedPathAllowed} rather than {@code isPlainBatchStep()}.
 *
 * <p>Contract, so that sampling stays cheap and harmless:
 * <ul>
 *   <li>The input is detached from autograd; do not attach it again, do not modify it.
 *   <li>Compute on the engine and hand back scalars only: no activation-sized copies to Java.
 *       Arrays made from the input belong to its manager, a scratch one closed as soon as
 *       the values are read.
 *   <li>Return the same names, in the same order, on every call (a {@link java.util.LinkedHashMap});
 *       each name becomes a column. Names in snake_case; {@code gate_mean}, {@code gate_std},
 *       {@code gate_min} and {@code gate_max} are the columns layers.csv reserves for a gate.
 *   <li>Do not change the layer's state (parameters, running statistics, random streams).
 * </ul>
 */
public interface LayerProbe {

    /**
     * @param input what the layer passes to its batch-normalized step on this batch, detached,
     *     channels on axis 1
     * @return named values for this layer and batch, in a fixed order
     */
    Map<String, Double> probe(NDArray input);
}

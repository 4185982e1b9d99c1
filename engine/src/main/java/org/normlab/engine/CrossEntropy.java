package org.normlab.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import org.normlab.norm.EngineConstants;

/**
 * Softmax cross-entropy with optional label smoothing, as PyTorch's CrossEntropyLoss: the
 * target distribution is (1 - eps) * one_hot + eps / K; the loss is averaged over the batch.
 */
public final class CrossEntropy {

    private final float smoothing;

    public CrossEntropy(double labelSmoothing) {
        this.smoothing = (float) labelSmoothing;
    }

    /**
     * @param logits (N, K)
     * @param labels (N) class indices
     * @return the mean loss, a scalar
     */
    public NDArray loss(NDArray logits, NDArray labels) {
        long classes = logits.getShape().get(1);
        NDArray logp = logits.logSoftmax(1);
        NDArray target = labels.toType(DataType.INT64, false).oneHot((int) classes, logits.getDataType());
        if (smoothing > 0f) {
            target = target.mul(EngineConstants.scalar(target, 1f - smoothing))
                    .add(EngineConstants.scalar(target, smoothing / classes));
        }
        return logp.mul(target).sum(new int[] {1}).mean().neg();
    }
}

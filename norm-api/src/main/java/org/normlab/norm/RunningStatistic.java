package org.normlab.norm;

/**
 * A running statistic a batch-normalized step can keep ({@link Standardizer#keeps()}), each in
 * PyTorch's BatchNorm convention, per channel of the step's input x:
 */
public enum RunningStatistic {
    /** running_mean = (1 - momentum) * running_mean + momentum * (the batch mean of x). */
    MEAN,
    /** running_var = (1 - momentum) * running_var + momentum * (the unbiased batch variance of x). */
    VARIANCE
}

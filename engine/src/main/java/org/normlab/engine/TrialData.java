package org.normlab.engine;

/**
 * The data of one trial, ready for the loop.
 *
 * @param train shuffled, augmented batches
 * @param val evaluation batches (fixed order, no augmentation)
 * @param channels image channels the model sees
 * @param height image height the model sees
 * @param width image width the model sees
 * @param classes number of classes
 */
public record TrialData(BatchSource train, BatchSource val, int channels, int height, int width, int classes) {}

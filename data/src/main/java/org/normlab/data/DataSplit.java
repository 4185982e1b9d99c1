package org.normlab.data;

/**
 * A training set and the set it is judged on: the official test set, or a validation set held
 * out of the training data (see {@link ImageSet#split(int, long)}).
 */
public record DataSplit(ImageSet train, ImageSet test) {

    public DataSplit {
        if (train == null || test == null) {
            throw new DatasetException("a data split needs both a train and a test set");
        }
    }
}

package org.normlab.engine;

import ai.djl.nn.Block;

/**
 * What one trial trains on and what it trains, built when the trial starts so that a dataset or
 * model that fails to build is that trial's failure (recorded in its result.json).
 */
public interface TrialInputs {

    /** The trial's batches, seeded by the trial. */
    TrialData data();

    /** A new, uninitialized network for {@code data}'s images and classes. */
    Block model(TrialData data);
}

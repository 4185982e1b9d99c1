package org.normlab.engine;

import java.util.List;
import java.util.Map;

/**
 * The state of a trial between two steps, from which {@link TrainingLoop#fit} continues exactly.
 * Data order and augmentation need no state of their own: they are keyed by (seed, epoch, batch).
 *
 * @param parameters every parameter of the model (running statistics included), DJL-encoded, by name
 * @param momentum SGD's momentum buffers, DJL-encoded, in parameter order (null before the first step)
 * @param randomStreams the position of every {@link org.normlab.norm.ResumableRandom} in the model, in block order
 */
public record Snapshot(Position position, Map<String, byte[]> parameters, List<byte[]> momentum, List<Long> randomStreams) {

    /**
     * Where the loop is and what the epoch under way has summed so far.
     *
     * @param epoch the 0-based epoch under way
     * @param batch training batches of that epoch done
     * @param step optimizer steps done in the whole trial
     * @param lossTimesN training loss times images, summed since the last evaluation
     * @param correct training images classified right since the last evaluation
     * @param images training images since the last evaluation
     * @param bestValAcc the best validation accuracy so far (-1 before the first evaluation)
     * @param evaluationDue the run stopped during an evaluation, which a resumed run does first
     */
    public record Position(int epoch, int batch, long step, double lossTimesN, double correct, double images,
            float lastLr, double bestValAcc, boolean evaluationDue) {}
}

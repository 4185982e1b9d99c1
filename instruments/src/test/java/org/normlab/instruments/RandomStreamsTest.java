package org.normlab.instruments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.normlab.norm.ResumableRandom;

/**
 * The random streams a checkpoint saves: one per noise layer, also when the noise sits inside
 * another wrapper (ghost around gaussian), whose outermost step has no stream of its own.
 */
class RandomStreamsTest {

    private static final Shape INPUT = new Shape(4, 3, 8, 8);

    private static List<ResumableRandom> streams(NDManager manager, String norm, Map<String, ?> options) {
        SequentialBlock net = TestNets.net(manager, norm, options, INPUT);
        return RandomStreams.of(net);
    }

    @Test
    void nestedNoiseIsFoundBeneathTheOuterWrapper() {
        try (NDManager manager = NDManager.newBaseManager()) {
            assertEquals(0, streams(manager, "bn", Map.of()).size());
            assertEquals(2, streams(manager, "gaussian", Map.of()).size(), "one per norm layer");
            assertEquals(2, streams(manager, "ghost", Map.of("inner", "gaussian", "size", 2)).size(),
                    "ghost around gaussian: the inner streams (the outermost step has none)");
            assertEquals(2, streams(manager, "constant", Map.of("inner", "gaussian")).size());
        }
    }

    @Test
    void theNestedStreamMovesWithTrainingAndItsPositionIsWhatASaveReads() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SequentialBlock net = TestNets.net(manager, "ghost", Map.of("inner", "gaussian", "size", 2), INPUT);
            List<ResumableRandom> found = RandomStreams.of(net);
            long before = found.get(0).position();
            TestNets.prefix(net, TestNets.batches(manager, INPUT, 1, 3).get(0), 2);
            assertNotEquals(before, found.get(0).position(), "a training pass through the ghost layer draws noise");
        }
    }
}

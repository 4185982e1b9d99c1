package org.normlab.experiments.sweep;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** How --parallel spreads workers over GPUs and CPU threads. */
class InWorkerProcessesTest {

    @Test
    void cpuThreadsAreSplitEvenlyUnlessGiven() {
        assertEquals(4, InWorkerProcesses.threadsPerWorker(null, 8, 2));
        assertEquals(2, InWorkerProcesses.threadsPerWorker(null, 8, 3), "8 cores, 3 workers: 2 each, none oversubscribed");
        assertEquals(1, InWorkerProcesses.threadsPerWorker(null, 2, 4), "never fewer than one");
        assertEquals(3, InWorkerProcesses.threadsPerWorker(3, 2, 4), "--threads wins");
    }

    @Test
    void autoAndGpuSpreadWorkersRoundRobinOverTheGpus() {
        assertEquals(List.of("gpu:0", "gpu:1", "gpu:2", "gpu:0", "gpu:1"), devices("auto", 3, 5));
        assertEquals(List.of("gpu:0", "gpu:1", "gpu:0"), devices("gpu", 2, 3));
    }

    @Test
    void explicitDevicesAndMachinesWithoutGpusAreLeftAlone() {
        assertEquals(List.of("auto", "auto"), devices("auto", 0, 2), "no GPU: auto picks the CPU in each worker");
        assertEquals(List.of("cpu", "cpu"), devices("cpu", 4, 2));
        assertEquals(List.of("gpu:1", "gpu:1"), devices("gpu:1", 4, 2));
        assertNull(InWorkerProcesses.deviceFor(0, null, 4), "trials with different devices keep their own");
    }

    private static List<String> devices(String requested, int gpus, int workers) {
        return IntStream.range(0, workers).mapToObj(k -> InWorkerProcesses.deviceFor(k, requested, gpus)).toList();
    }
}

package org.normlab.experiments.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The one argument vector both launchers give a shard. */
class ShardInvocationTest {

    @Test
    void theShardItsOverridesAndTheDevice() {
        ShardInvocation shard = new ShardInvocation("/s/smoke.yaml", 4, "/runs", List.of("epochs=2", "seeds=[1]"), "gpu",
                null, false, 0, null);
        assertEquals(List.of("run", "/s/smoke.yaml", "--shard", "$(I)/4", "--out", "/runs", "--set", "epochs=2", "--set",
                "seeds=[1]", "--device", "gpu"), shard.arguments("$(I)"));
        assertEquals("${X}/4", shard.shardValue("${X}"));
    }

    @Test
    void cpusAreSplitOverTheGpusThatRunInParallel() {
        assertEquals(List.of("--threads", "8"), tail(new ShardInvocation("s", 1, "o", List.of(), null, null, false, 0, 8), 2));
        assertEquals(List.of("--threads", "8"), tail(new ShardInvocation("s", 1, "o", List.of(), null, null, false, 1, 8), 2),
                "one GPU: no --parallel");
        assertEquals(List.of("--parallel", "3", "--threads", "2"), tail(new ShardInvocation("s", 1, "o", List.of(), null, null, false, 3, 8), 4));
        assertEquals(List.of("--parallel", "4", "--threads", "1"), tail(new ShardInvocation("s", 1, "o", List.of(), null, null, false, 4, 2), 4),
                "at least one thread");
        assertEquals(List.of("--parallel", "2"), tail(new ShardInvocation("s", 1, "o", List.of(), null, null, false, 2, null), 2),
                "no CPUs given: PyTorch's thread count");
    }

    @Test
    void thePluginsFolderAndRerunStaleArePassedOnBeforeTheWorkerSettings() {
        ShardInvocation shard = new ShardInvocation("/s/smoke.yaml", 2, "/runs", List.of("epochs=2"), null, "/shared/plugins",
                true, 2, 8);
        assertEquals(List.of("run", "/s/smoke.yaml", "--shard", "1/2", "--out", "/runs", "--set", "epochs=2", "--plugins",
                "/shared/plugins", "--rerun-stale", "--parallel", "2", "--threads", "4"), shard.arguments("1"));
        List<String> without = new ShardInvocation("s", 1, "o", List.of(), null, null, false, 0, null).arguments("0");
        assertEquals(List.of("run", "s", "--shard", "0/1", "--out", "o"), without, "no plugins, no --rerun-stale: neither flag");
    }

    private static List<String> tail(ShardInvocation shard, int n) {
        List<String> args = shard.arguments("0");
        assertEquals(List.of("run", "s", "--shard", "0/1", "--out", "o"), args.subList(0, 6));
        return args.subList(args.size() - n, args.size());
    }
}

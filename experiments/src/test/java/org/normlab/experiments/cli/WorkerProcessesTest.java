package org.normlab.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line of a --parallel worker: the parent's sweep options plus its own device, threads and trials. */
class WorkerProcessesTest {

    @Test
    void aWorkerGetsTheParentsOptionsItsTrialsDeviceAndThreads() {
        Main main = new Main();
        new CommandLine(main).parseArgs("sweeps/x.yaml", "--out", "o", "--set", "epochs=2", "--set", "seeds=[1]",
                "--shard", "1/3", "--parallel", "2", "--plugins", "plug", "--verbose");
        List<String> cmd = new WorkerProcesses(main.run, main.common).command(List.of("t1", "t2"), "gpu:1", 3);
        assertTrue(cmd.get(0).endsWith("java"), cmd.get(0));
        int main0 = cmd.indexOf(Main.class.getName());
        assertEquals(List.of("run", "sweeps/x.yaml", "--out", "o", "--set", "epochs=2", "--set", "seeds=[1]",
                "--shard", "1/3", "--device", "gpu:1", "--plugins", "plug", "--verbose", "--worker-trials", "t1,t2"),
                cmd.subList(main0 + 1, cmd.size()));
        assertTrue(cmd.contains("-Dai.djl.pytorch.num_threads=3") && cmd.contains("-Dai.djl.pytorch.num_interop_threads=1"), cmd.toString());
        assertEquals("-cp", cmd.get(main0 - 2));
        assertTrue(!cmd.contains("--parallel"), "a worker runs its trials one after another");
    }

    @Test
    void noDeviceMeansEachTrialsOwn() {
        Main main = new Main();
        new CommandLine(main).parseArgs("x.yaml");
        List<String> cmd = new WorkerProcesses(main.run, main.common).command(List.of("t1"), null, 1);
        assertTrue(!cmd.contains("--device") && !cmd.contains("--shard"), cmd.toString());
    }

    @Test
    void theParentsJvmOptionsPassExceptDebuggerAndThreads() {
        assertEquals(List.of("-Xmx2g", "-Dai.djl.offline=true"), WorkerProcesses.jvmOptions(List.of(
                "-Xmx2g", "-agentlib:jdwp=transport=dt_socket,server=y,address=5005", "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=8", "-Dai.djl.pytorch.num_interop_threads=2")));
    }
}

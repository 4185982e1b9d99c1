package org.normlab.experiments.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Many trials in one JVM do not grow memory trial after trial (no NDArray or native leak
 * across trials). The Java heap is fixed and pre-touched so that its own growth, which is not
 * a leak, does not hide or mimic one.
 */
class MemoryIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path work;

    @Test
    void residentMemoryIsFlatAcrossTrials() throws Exception {
        Jar.Run run = Jar.run(work, List.of("-Xms256m", "-Xmx256m", "-XX:+AlwaysPreTouch"),
                Jar.sweep("smoke.yaml"), "--out", "runs", "--set", "seeds=[1,2,3,4,5,6,7,8]",
                "--set", "grid.norm.name=[iebn]", "--set", "epochs=2");
        assertEquals(0, run.exit(), run.all());
        Path sweep = work.resolve("runs/smoke");
        List<Double> rss = new ArrayList<>();
        for (JsonNode trial : JSON.readTree(sweep.resolve("trials.json").toFile())) {
            rss.add(JSON.readTree(sweep.resolve(trial.path("trial_id").asText()).resolve("result.json").toFile())
                    .path("rss_mb").asDouble());
        }
        double afterWarmup = rss.get(2);
        double last = rss.get(rss.size() - 1);
        assertTrue(afterWarmup > 100, "rss is measured: " + rss);
        assertTrue(last <= afterWarmup * 1.10, "resident memory grew more than 10% from trial 3 to trial 8: " + rss);
    }
}

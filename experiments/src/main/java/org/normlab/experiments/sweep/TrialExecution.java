package org.normlab.experiments.sweep;

import java.io.IOException;
import java.util.List;
import org.normlab.config.Sweep;
import org.normlab.config.Trial;
import org.normlab.engine.Progress;
import org.normlab.results.ResultStore;

/**
 * Where a sweep's trials run: {@link InThisProcess} one after another, or {@link InWorkerProcesses}
 * several at once. Either way each trial writes its own folder in the store; {@link SweepRunner}
 * reads the results back from there.
 */
interface TrialExecution {

    /** Runs {@code trials} (of {@code sweep}, none of them finished) into {@code store}. */
    void run(Sweep sweep, List<Trial> trials, ResultStore store, Progress progress) throws IOException;
}

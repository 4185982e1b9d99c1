package org.normlab.experiments.wiring;

import com.google.inject.Injector;
import jakarta.inject.Inject;
import org.normlab.engine.TrialRunner;
import org.normlab.experiments.sweep.TrialLauncher;

/**
 * The one place that makes child injectors: a {@link RunModule} child of the core for each sweep
 * run in this process, and a {@link TrialModule} grandchild for each of its trials, whose
 * {@link TrialRunner} runs it.
 */
final class TrialInjectors implements TrialLauncher {

    private final Injector core;

    @Inject
    TrialInjectors(Injector core) {
        this.core = core;
    }

    @Override
    public Run startRun(RunScope scope) {
        Injector run = core.createChildInjector(new RunModule(scope));
        return trial -> run.createChildInjector(new TrialModule(trial)).getInstance(TrialRunner.class).run();
    }
}

package org.normlab.experiments.cli;

import ai.djl.engine.Engine;
import org.normlab.results.UserError;

/**
 * Loads the PyTorch engine before a sweep starts, so that a missing native library is one clear
 * error (the default build bundles the CPU library; a -Pcuda build finds CUDA's at run time)
 * rather than a failure inside the first model the sweep checks.
 */
final class NativeEngine {

    private NativeEngine() {}

    static void require() {
        try {
            Engine.getInstance();
        } catch (RuntimeException | LinkageError e) {
            throw new UserError("cannot load PyTorch's native library (" + causes(e) + "). The default build bundles the "
                    + "CPU library; a -Pcuda build needs PYTORCH_LIBRARY_PATH=<libtorch>/lib with PYTORCH_FLAVOR=cu128 "
                    + "(or cpu), or -Dai.djl.offline=false so that DJL can download it; see docs/SCALE.md", e);
        }
    }

    private static String causes(Throwable e) {
        StringBuilder s = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && s.indexOf(t.getMessage()) < 0) {
                s.append(s.length() == 0 ? "" : ": ").append(t.getMessage().lines().findFirst().orElse(""));
            }
        }
        return s.toString();
    }
}

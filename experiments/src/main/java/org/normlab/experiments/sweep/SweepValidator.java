package org.normlab.experiments.sweep;

import com.google.inject.Inject;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import java.util.HashMap;
import java.util.Map;
import org.normlab.engine.assembly.DataSettingError;
import org.normlab.results.UserError;
import org.normlab.config.Located;
import org.normlab.config.Sweep;
import org.normlab.config.Locator;
import org.normlab.config.Trial;
import org.normlab.config.TrialConfig;
import org.normlab.engine.assembly.DataFactory;
import org.normlab.engine.assembly.TrialAssembly;
import org.normlab.engine.assembly.TrialNorms;
import org.normlab.models.CpuConvolutions;
import org.normlab.models.ModelSettingException;
import org.normlab.norm.NormConfigException;
import org.normlab.norm.NormRegistry;

/**
 * Checks what only the plugins, the models and the data can tell, for every trial, before
 * anything trains: norm and attack names and options, model depth, the dataset's presence,
 * the batch size against the dataset's size, whether the images fit the model, and, for a trial
 * on the CPU, whether the engine computes the model's convolutions correctly ({@link CpuConvolutions}).
 */
public final class SweepValidator {

    private final NormRegistry registry;
    private final DataFactory data;
    private final TrialAssembly assembly;
    private final java.util.Set<String> fitted = new java.util.HashSet<>();

    @Inject
    public SweepValidator(TrialAssembly assembly, DataFactory data) {
        this.assembly = assembly;
        this.registry = assembly.registry();
        this.data = data;
    }

    /** @return the data shape of every trial, by trial id */
    public Map<String, DataFactory.Shape> validate(Sweep sweep, Locator locator) {
        Map<TrialConfig.DataConfig, DataFactory.Shape> shapes = new HashMap<>();
        Map<String, DataFactory.Shape> byTrial = new HashMap<>();
        for (Trial trial : sweep.trials()) {
            TrialConfig c = trial.config();
            TrialNorms norms = norms(trial, locator);
            DataFactory.Shape shape = shapes.get(c.data());
            if (shape == null) {
                try {
                    shape = data.probe(c.data());
                } catch (DataSettingError e) {
                    throw at(trial, locator, e.key(), e.getMessage());
                } catch (UserError e) {
                    throw e;
                } catch (RuntimeException e) {
                    throw at(trial, locator, c.data().path() != null ? "data.path" : "data.name", e.getMessage());
                }
                shapes.put(c.data(), shape);
            }
            byTrial.put(trial.id(), shape);
            if (c.data().batchSize() > shape.trainSize()) {
                throw at(trial, locator, "data.batch_size", String.format(
                        "batch size %d is larger than the %d training images", c.data().batchSize(), shape.trainSize()));
            }
            model(trial, locator, shape, norms);
        }
        return byTrial;
    }

    private TrialNorms norms(Trial trial, Locator locator) {
        TrialConfig c = trial.config();
        String prefix = c.attack().isNone() ? "norm" : "attack";
        try {
            registry.provider(c.norm().name());
        } catch (NormConfigException e) {
            throw at(trial, locator, "norm.name", e.getMessage());
        }
        try {
            return assembly.norms(c, trial.seed());
        } catch (NormConfigException e) {
            throw at(trial, locator, normKey(c, e), e.getMessage() + excludeHint(trial, e));
        } catch (RuntimeException e) {
            throw at(trial, locator, prefix + ".name", e.getMessage());
        }
    }

    /**
     * For a grid that crosses norms with attacks where this norm cannot be attacked: the
     * {@code exclude:} entry that leaves the combination out (with the keys the grid sets).
     */
    private static String excludeHint(Trial trial, NormConfigException e) {
        TrialConfig c = trial.config();
        if (c.attack().isNone() || !"inner".equals(e.key())) {
            return "";
        }
        java.util.List<String> keys = new java.util.ArrayList<>();
        if (trial.origins().containsKey("norm.name")) {
            keys.add("norm.name: " + c.norm().name());
        }
        if (trial.origins().containsKey("attack.name")) {
            keys.add("attack.name: " + c.attack().name());
        }
        return keys.isEmpty() ? "" : "; to leave this combination out of the grid, add to the sweep file: exclude: [{"
                + String.join(", ", keys) + "}]";
    }

    /** The sweep key a norm's complaint is about: its name, one of its options, or the shortcut norm. */
    private static String normKey(TrialConfig c, NormConfigException e) {
        String prefix = c.attack().isNone() ? "norm" : "attack";
        return e.key() == null || e.key().equals("name") || e.key().equals("inner")
                ? prefix + ".name"
                : e.key().contains(".") ? e.key() : prefix + ".options." + e.key();
    }

    /** Builds the model with the trial's norms: each norm layer checks its options against its real channels. */
    private void model(Trial trial, Locator locator, DataFactory.Shape shape, TrialNorms norms) {
        TrialConfig c = trial.config();
        Block block;
        try {
            block = assembly.model(c.model(), norms, shape.classes(), shape.channels());
        } catch (NormConfigException e) {
            throw at(trial, locator, normKey(c, e), e.getMessage() + excludeHint(trial, e));
        } catch (IllegalArgumentException e) {
            throw at(trial, locator, modelKey(e), e.getMessage());
        }
        int n = Math.min(c.data().batchSize(), 2);
        if (fitted.add(networkKey(c, shape, n))) {
            tryForward(trial, locator, shape, n, block);
        }
    }

    /**
     * What decides whether a forward pass works: the model, its norms and the attack plugin, the
     * image shape and the batch; attack option values (strengths) and seeds do not.
     */
    private static String networkKey(TrialConfig c, DataFactory.Shape shape, int n) {
        return String.join("|", c.model().toString(), c.norm().toString(), c.attack().name(), shape.toString(),
                String.valueOf(n));
    }

    /**
     * One training-mode forward pass of the trial's model, with its own norms, on zeros of the
     * trial's image shape, so that images that shrink to nothing, or to one value per channel in
     * a batch of one where a norm needs batch statistics, fail here rather than hours into a sweep.
     */
    private void tryForward(Trial trial, Locator locator, DataFactory.Shape shape, int n, Block block) {
        TrialConfig c = trial.config();
        Shape input = new Shape(n, shape.channels(), shape.height(), shape.width());
        try (NDManager manager = NDManager.newBaseManager()) {
            block.initialize(manager, DataType.FLOAT32, input);
            if (onCpu(c.device())) {
                checkConvolutions(trial, locator, block);
            }
            block.forward(new ParameterStore(manager, false), new NDList(manager.zeros(input)), true);
        } catch (UserError e) {
            throw e;
        } catch (RuntimeException e) {
            String reason = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            throw at(trial, locator, c.data().size() != null ? "data.size" : "data.name", String.format(
                    "images of %dx%dx%d in batches of %d do not fit model %s depth %d (%s); resize them with data.size",
                    shape.channels(), shape.height(), shape.width(), c.data().batchSize(), c.model().name(),
                    c.model().depth(), reason));
        }
    }

    /** Whether a trial asking for {@code device} trains on this machine's CPU. */
    private static boolean onCpu(String device) {
        return device.equals("cpu") || (device.equals("auto") && Engine.getInstance().getGpuCount() == 0);
    }

    private static void checkConvolutions(Trial trial, Locator locator, Block block) {
        try {
            CpuConvolutions.check(block);
        } catch (IllegalArgumentException e) {
            throw at(trial, locator, "model.name", "model " + trial.config().model().name() + ": " + e.getMessage());
        }
    }

    /** The model setting a family refused: the one it names, else the family itself. */
    private static String modelKey(IllegalArgumentException e) {
        return e instanceof ModelSettingException setting ? setting.key() : ModelSettingException.NAME;
    }

    private static UserError at(Trial trial, Locator locator, String key, String message) {
        Located where = locator.locate(key, trial.origins(), false);
        return new UserError(where + ": " + key + ": " + message);
    }
}

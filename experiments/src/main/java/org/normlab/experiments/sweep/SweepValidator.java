package org.normlab.experiments.sweep;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import java.util.HashMap;
import java.util.Map;
import org.normlab.experiments.UserError;
import org.normlab.experiments.config.Located;
import org.normlab.experiments.config.Sweep;
import org.normlab.experiments.config.Locator;
import org.normlab.experiments.config.Trial;
import org.normlab.experiments.config.TrialConfig;
import org.normlab.experiments.train.DataFactory;
import org.normlab.experiments.train.ModelFactory;
import org.normlab.experiments.wiring.NormFactories;
import org.normlab.norm.NormConfigException;
import org.normlab.norm.NormFactory;
import org.normlab.norm.NormRegistry;

/**
 * Checks what only the plugins, the models and the data can tell, for every trial, before
 * anything trains: norm and attack names and options, model depth, the dataset's presence,
 * the batch size against the dataset's size, and whether the images fit the model.
 */
public final class SweepValidator {

    private final NormRegistry registry;
    private final DataFactory data;
    private final ModelFactory models;

    public SweepValidator(NormRegistry registry, DataFactory data, ModelFactory models) {
        this.registry = registry;
        this.data = data;
        this.models = models;
    }

    /** @return the data shape of every trial, by trial id */
    public Map<String, DataFactory.Shape> validate(Sweep sweep, Locator locator) {
        Map<TrialConfig.DataConfig, DataFactory.Shape> shapes = new HashMap<>();
        Map<String, DataFactory.Shape> byTrial = new HashMap<>();
        for (Trial trial : sweep.trials()) {
            TrialConfig c = trial.config();
            NormFactory body = norms(trial, locator);
            DataFactory.Shape shape = shapes.get(c.data());
            if (shape == null) {
                try {
                    shape = data.probe(c.data());
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
            model(trial, locator, shape, body);
        }
        return byTrial;
    }

    private NormFactory norms(Trial trial, Locator locator) {
        TrialConfig c = trial.config();
        String prefix = c.attack().isNone() ? "norm" : "attack";
        try {
            registry.provider(c.norm().name());
        } catch (NormConfigException e) {
            throw at(trial, locator, "norm.name", e.getMessage());
        }
        try {
            NormFactory body = NormFactories.body(registry, c, trial.seed());
            NormFactories.shortcut(registry, c, body);
            return body;
        } catch (NormConfigException e) {
            String key = e.key() == null || e.key().equals("name") || e.key().equals("inner")
                    ? prefix + ".name"
                    : e.key().contains(".") ? e.key() : prefix + ".options." + e.key();
            throw at(trial, locator, key, e.getMessage());
        } catch (RuntimeException e) {
            throw at(trial, locator, prefix + ".name", e.getMessage());
        }
    }

    private void model(Trial trial, Locator locator, DataFactory.Shape shape, NormFactory body) {
        TrialConfig c = trial.config();
        Block block;
        try {
            block = models.build(c.model(), shape.classes(), shape.channels(), body, body);
        } catch (IllegalArgumentException e) {
            throw at(trial, locator, "model.depth", e.getMessage());
        }
        Shape input = new Shape(2, shape.channels(), shape.height(), shape.width());
        try {
            Shape out = block.getOutputShapes(new Shape[] {input})[0];
            if (out.size() <= 0) {
                throw new IllegalArgumentException("output shape " + out);
            }
        } catch (RuntimeException e) {
            throw at(trial, locator, "data.size", String.format(
                    "images of %dx%dx%d do not fit model %s depth %d (%s); resize them with data.size",
                    shape.channels(), shape.height(), shape.width(), c.model().name(), c.model().depth(), e.getMessage()));
        }
    }

    private static UserError at(Trial trial, Locator locator, String key, String message) {
        Located where = locator.locate(key, trial.origins(), false);
        return new UserError(where + ": " + key + ": " + message);
    }
}

package org.normlab.experiments.cli;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.normlab.data.ImageShape;
import org.normlab.results.UserError;
import org.normlab.engine.assembly.NormFactories;
import org.normlab.models.ModelSpec;
import org.normlab.models.Models;
import org.normlab.norm.NormConfigException;
import org.normlab.norm.NormFactory;
import org.normlab.norm.NormRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code params}: a model's parameter summary; the last line is the trainable count alone. */
@Command(name = "params", mixinStandardHelpOptions = true,
        description = {"Build a model with a norm and print its parameter summary.",
                "The last line is the trainable parameter count, digits only."})
public class ParamsCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "NAME",
            description = "resnet20, resnet56, resnet110, resnet164, resnet18, resnet50, ... (cifar_resnet<depth> forces the CIFAR layout)")
    String model;

    @Option(names = "--classes", paramLabel = "K", description = "number of classes (default ${DEFAULT-VALUE})")
    int classes = 10;

    @Option(names = "--norm", paramLabel = "NAME", description = "norm plugin (default ${DEFAULT-VALUE})")
    String norm = "bn";

    @Option(names = "--norm-option", paramLabel = "KEY=VALUE", description = "an option of the norm (repeatable)")
    Map<String, String> normOptions = new LinkedHashMap<>();

    @Option(names = "--shortcut-norm", paramLabel = "same|bn",
            description = "norm of the projection shortcuts: the same as the body (default) or plain bn")
    String shortcutNorm = "same";

    @Option(names = "--input", paramLabel = "CxHxW", converter = ImageShapeConverter.class,
            description = "input image shape (default 3x32x32)")
    ImageShape input = new ImageShape(3, 32, 32);

    @Mixin CommonOptions common;

    @Override
    public Integer call() {
        if (!shortcutNorm.equals("same") && !shortcutNorm.equals("bn")) {
            throw new UserError("--shortcut-norm must be 'same' or 'bn' (got '" + shortcutNorm + "')");
        }
        NormRegistry registry = common.registry();
        NormFactory body = registry.factory(norm, normOptions);
        NormFactory shortcut = NormFactories.shortcut(registry, shortcutNorm, body);
        ModelSpec spec;
        Block block;
        try {
            spec = Models.parse(model, classes, input.channels());
            block = Models.build(spec, body, shortcut);
        } catch (NormConfigException e) {
            // A norm that does not fit a layer of this model (gn's strict groups).
            throw new UserError("--norm " + norm + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new UserError("--model " + model + ": " + e.getMessage());
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            block.initialize(manager, DataType.FLOAT32, new Shape(1, input.channels(), input.height(), input.width()));
            long all = 0;
            for (Parameter p : block.getParameters().values()) {
                all += p.getArray().size();
            }
            long trainable = Models.trainableParameters(block);
            System.out.printf("model       %s (%s, depth %d, %s shortcuts)%n", model, spec.family(), spec.depth(), spec.shortcut());
            System.out.printf("norm        %s %s, shortcut norm %s%n", norm, normOptions.isEmpty() ? "" : normOptions, shortcutNorm);
            System.out.printf("input       %s, %d classes%n", input, classes);
            System.out.printf("all params  %,d (incl. running statistics)%n", all);
            System.out.printf("trainable   %,d%n", trainable);
            System.out.println(trainable);
        }
        return 0;
    }
}

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
import com.google.inject.Injector;
import org.normlab.config.Defaults;
import org.normlab.config.TrialConfig;
import org.normlab.engine.assembly.ModelFactory;
import org.normlab.engine.assembly.NormFactories;
import org.normlab.engine.assembly.TrialAssembly;
import org.normlab.engine.assembly.TrialNorms;
import org.normlab.models.Models;
import org.normlab.norm.NormConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code params}: a model's parameter summary; the last line is the trainable count alone. */
@Command(name = "params", mixinStandardHelpOptions = true,
        description = {"Build a model with a norm and print its parameter summary.",
                "The last line is the trainable parameter count, digits only."})
public class ParamsCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "NAME",
            description = "resnet20, resnet56, resnet110, resnet164, resnet18, resnet50, ... (cifar_resnet<depth> forces the CIFAR layout), "
                    + "or a model family by name with --depth (a plugin's too)")
    String model;

    @Option(names = "--depth", paramLabel = "D", description = "the depth, when --model names a model family (--model resnet --depth 18)")
    Integer depth;

    @Option(names = "--classes", paramLabel = "K", description = "number of classes (default ${DEFAULT-VALUE})")
    int classes = 10;

    @Option(names = "--norm", paramLabel = "NAME", description = "norm plugin (default ${DEFAULT-VALUE}, a sweep's default norm.name)")
    String norm = Defaults.normName();

    @Option(names = "--norm-option", paramLabel = "KEY=VALUE", description = "an option of the norm (repeatable)")
    Map<String, String> normOptions = new LinkedHashMap<>();

    @Option(names = "--shortcut-norm", paramLabel = "same|NAME",
            description = "norm of the projection shortcuts: the same as the body (default) or a norm by name, e.g. plain bn")
    String shortcutNorm = TrialConfig.ModelConfig.SAME_NORM;

    @Option(names = "--input", paramLabel = "CxHxW", converter = ImageShapeConverter.class,
            description = "input image shape (default 3x32x32)")
    ImageShape input = new ImageShape(3, 32, 32);

    @Mixin CommonOptions common;

    @Override
    public Integer call() {
        Injector core = common.coreInjector();
        TrialAssembly assembly = core.getInstance(TrialAssembly.class);
        TrialNorms norms;
        try {
            norms = assembly.norms(new TrialConfig.NormConfig(norm, new LinkedHashMap<String, Object>(normOptions)),
                    TrialConfig.AttackConfig.none(), shortcutNorm, 0);
        } catch (NormConfigException e) {
            if (NormFactories.SHORTCUT_KEY.equals(e.key())) {
                throw new UserError("--shortcut-norm " + shortcutNorm + ": " + e.getMessage());
            }
            throw e;
        }
        ModelChoice choice = ModelChoice.of(model, depth, shortcutNorm, core.getInstance(ModelFactory.class), classes,
                input.channels());
        Block block;
        try {
            block = assembly.model(choice.config(), norms, classes, input.channels());
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
            System.out.printf("model       %s (%s)%n", model, choice.description());
            System.out.printf("norm        %s %s, shortcut norm %s%n", norm, normOptions.isEmpty() ? "" : normOptions, shortcutNorm);
            System.out.printf("input       %s, %d classes%n", input, classes);
            System.out.printf("all params  %,d (incl. running statistics)%n", all);
            System.out.printf("trainable   %,d%n", trainable);
            System.out.println(trainable);
        }
        return 0;
    }
}

package org.normlab.experiments.cli;

import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.normlab.norm.NormProvider;
import org.normlab.norm.NormRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code norms}: one line per plugin, its name first, then its options with defaults; under it
 * where the plugin came from (a jar in plugins/, or built in) and its version.
 */
@Command(name = "norms", mixinStandardHelpOptions = true,
        description = "List the norm plugins: name, options with defaults, description, and the jar each came from.")
public class NormsCommand implements Callable<Integer> {

    @Mixin CommonOptions common;

    @Override
    public Integer call() {
        NormRegistry registry = common.registry();
        for (NormProvider p : registry.providers()) {
            String options = p.options().stream()
                    .map(o -> o.name() + "=" + o.defaultValue())
                    .collect(Collectors.joining(" "));
            System.out.printf("%-10s %s  -- %s%n", p.name(), options.isEmpty() ? "(no options)" : options, p.description());
            System.out.printf("%-10s from %s%n", "", registry.source(p.name()).describe());
        }
        return 0;
    }
}

package org.normlab.experiments.cli;

import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.normlab.norm.NormProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code norms}: one line per plugin, its name first, then its options with defaults. */
@Command(name = "norms", mixinStandardHelpOptions = true,
        description = "List the norm plugins: name, options with defaults, description.")
public class NormsCommand implements Callable<Integer> {

    @Mixin CommonOptions common;

    @Override
    public Integer call() {
        for (NormProvider p : common.registry().providers()) {
            String options = p.options().stream()
                    .map(o -> o.name() + "=" + o.defaultValue())
                    .collect(Collectors.joining(" "));
            System.out.printf("%-10s %s  -- %s%n", p.name(), options.isEmpty() ? "(no options)" : options, p.description());
        }
        return 0;
    }
}

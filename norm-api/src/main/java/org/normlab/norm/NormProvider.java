package org.normlab.norm;

import ai.djl.nn.Block;
import java.util.List;

/**
 * The NormLayer SPI. Implementations are found with {@link java.util.ServiceLoader}: list the
 * class in {@code META-INF/services/org.normlab.norm.NormProvider} of your jar.
 */
public interface NormProvider {

    /** The unique name used in sweep files, for example {@code "iebn"}. */
    String name();

    /** One line for {@code norms}. */
    String description();

    /** The options this norm accepts; values reach {@link #create} validated, defaults filled. */
    List<NormOption> options();

    /**
     * Builds one norm layer.
     *
     * @throws NormConfigException when the options are inconsistent with each other
     */
    Block create(NormSpec spec);
}

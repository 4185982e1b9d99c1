package org.normlab.engine.assembly;

import java.nio.file.Path;
import org.normlab.data.DataSplit;

/**
 * A dataset read from files, named in a sweep file as {@code data.name}. The built-in ones are
 * entries of a Guice {@code MapBinder<String, DatasetReader>} (see {@link CoreModule}); a plugin
 * jar adds its own through a Guice module it lists in {@code META-INF/services/com.google.inject.Module}.
 * Subsets, channels and transforms are applied on top, as for any dataset.
 */
@FunctionalInterface
public interface DatasetReader {

    /**
     * @param path {@code data.path}, or null for the dataset's default location
     * @throws RuntimeException with a message for the user when the files are missing or broken
     */
    DataSplit read(Path path);
}

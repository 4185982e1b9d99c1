package org.normlab.engine.assembly;

import org.normlab.results.UserError;

/**
 * A data setting that does not fit the dataset it names (a subset larger than its split): only
 * the data can tell, so {@link DataFactory#probe} finds it, and the sweep's validator reports it
 * at the place the key was written.
 */
public final class DataSettingError extends UserError {

    private static final long serialVersionUID = 1L;

    private final String key;

    /** @param key the dotted setting at fault, e.g. {@code data.val_subset} */
    public DataSettingError(String key, String message) {
        super(message);
        this.key = key;
    }

    public String key() {
        return key;
    }
}

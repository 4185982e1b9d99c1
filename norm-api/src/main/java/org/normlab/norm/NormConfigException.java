package org.normlab.norm;

/** A norm was named or configured wrongly; the message says what, and what is allowed. */
public class NormConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String key;

    public NormConfigException(String message) {
        this(null, message);
    }

    /**
     * @param key the configuration key at fault (for example {@code "momentum"}), or null
     * @param message what was wrong and what is allowed
     */
    public NormConfigException(String key, String message) {
        super(message);
        this.key = key;
    }

    /** The option or setting at fault, or null when the fault is not tied to one key. */
    public String key() {
        return key;
    }
}

package org.normlab.models;

/**
 * A model setting a family cannot build with, and which setting it is ({@link #key()}, as a sweep
 * file names it), so that a sweep's error points at the value at fault without reading the
 * message. A plugin's {@link ModelFamily} throws it too; a plain {@link IllegalArgumentException}
 * from a family is reported at {@link #NAME}.
 */
public class ModelSettingException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public static final String NAME = "model.name";
    public static final String DEPTH = "model.depth";
    public static final String SHORTCUT = "model.shortcut";
    public static final String BLOCK = "model.block";
    public static final String CIFAR_STEM = "model.cifar_stem";

    private final String key;

    /** @param key the setting at fault: {@link #DEPTH}, {@link #BLOCK}, ... */
    public ModelSettingException(String key, String message) {
        super(message);
        this.key = key;
    }

    public String key() {
        return key;
    }
}

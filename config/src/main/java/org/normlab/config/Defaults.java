package org.normlab.config;

/**
 * Settings of defaults.yaml that commands outside sweeps share with them, so that a command's
 * default is the one a sweep gets when it sets nothing.
 */
public final class Defaults {

    private Defaults() {}

    /** defaults.yaml's {@code norm.name}: the norm of a sweep that names none, and of {@code params} and {@code bench}. */
    public static String normName() {
        return SettingsTree.defaults().path("norm").path("name").asText();
    }
}

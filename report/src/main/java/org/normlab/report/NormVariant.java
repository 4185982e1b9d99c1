package org.normlab.report;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Which norm a group of trials used: the norm's name and, for wrapper norms such as the noise
 * attacks, the norm they wrap (option {@code inner}); null when it is not a wrapper.
 */
public record NormVariant(String name, String inner) {

    /** The setting keys that say which norm a trial used. */
    public static final String NAME_KEY = "norm.name";

    public static final String INNER_KEY = "norm.options.inner";

    /** The norm every other one is compared with. */
    public static final String REFERENCE = "bn";

    /** From the swept settings first, else from the trial's resolved config (may be null). */
    static NormVariant of(Settings swept, JsonNode config) {
        String name = text(swept.get(NAME_KEY));
        if (name == null && config != null) {
            name = text(config.path("norm").path("name"));
        }
        String inner = text(swept.get(INNER_KEY));
        if (inner == null && config != null) {
            inner = text(config.path("norm").path("options").path("inner"));
        }
        return new NormVariant(name == null ? "?" : name, inner);
    }

    private static String text(JsonNode v) {
        return v == null || v.isNull() || v.isMissingNode() ? null : Settings.display(v);
    }

    /** The norm that does the batch normalization: the wrapped one for wrappers. */
    public String base() {
        return inner != null ? inner : name;
    }

    /** "iebn", or "const_noise(iebn)" for a wrapper. */
    public String label() {
        return inner == null ? name : name + "(" + inner + ")";
    }

    @Override
    public String toString() {
        return label();
    }
}

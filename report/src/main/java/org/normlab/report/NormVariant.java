package org.normlab.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Which norm a group of trials used: the norm's name, for wrapper norms such as the noise
 * attacks the norm they wrap (option {@code inner}; null when it is not a wrapper), and the
 * label that tells variants of one norm apart in tables, plots and comparisons.
 *
 * @param label the named norm axis' key for this variant ({@code gn8}), else the name with the
 *     swept options ({@code gn(groups=8)}), else {@code name(inner)} for a wrapper, else the name
 */
public record NormVariant(String name, String inner, String label) {

    /** The setting keys that say which norm a trial used. */
    public static final String NAME_KEY = "norm.name";

    public static final String INNER_KEY = "norm.options.inner";

    /** Swept keys under it are options of the norm: a variant each. */
    public static final String OPTIONS_PREFIX = "norm.options.";

    /** The norm every other one is compared with. */
    public static final String REFERENCE = "bn";

    public NormVariant(String name, String inner) {
        this(name, inner, inner == null ? name : name + "(" + inner + ")");
    }

    /** From the swept settings first, else from the trial's resolved config (may be null). */
    static NormVariant of(Settings swept, JsonNode config) {
        return of(swept, config, Report.NORM_KEYS);
    }

    /**
     * @param normKeys the swept keys that choose the norm: {@link Report#NORM_KEYS}, swept
     *     {@code norm.options.*} keys and named axes that set {@code norm.*}
     */
    static NormVariant of(Settings swept, JsonNode config, Collection<String> normKeys) {
        String name = text(swept.get(NAME_KEY));
        if (name == null && config != null) {
            name = text(config.path("norm").path("name"));
        }
        String inner = text(swept.get(INNER_KEY));
        if (inner == null && config != null) {
            inner = text(config.path("norm").path("options").path("inner"));
        }
        name = name == null ? "?" : name;
        List<String> named = new ArrayList<>();
        List<String> options = new ArrayList<>();
        for (String key : normKeys) {
            JsonNode v = swept.get(key);
            if (v == null || Report.NORM_KEYS.contains(key)) {
                continue;
            }
            if (key.startsWith(OPTIONS_PREFIX)) {
                options.add(key.substring(OPTIONS_PREFIX.length()) + "=" + Settings.display(v));
            } else {
                named.add(Settings.display(v));
            }
        }
        String plain = inner == null ? name : name + "(" + inner + ")";
        String label = !named.isEmpty() ? String.join(", ", named)
                : !options.isEmpty() ? name + "(" + String.join(", ", options) + ")"
                : plain;
        return new NormVariant(name, inner, label);
    }

    private static String text(JsonNode v) {
        return v == null || v.isNull() || v.isMissingNode() ? null : Settings.display(v);
    }

    /** The norm that does the batch normalization: the wrapped one for wrappers. */
    public String base() {
        return inner != null ? inner : name;
    }

    @Override
    public String toString() {
        return label;
    }
}

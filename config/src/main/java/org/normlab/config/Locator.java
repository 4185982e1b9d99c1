package org.normlab.config;

import java.util.Map;
import org.normlab.results.UserError;

/**
 * Finds where a setting of a trial was written: its grid entry, a {@code --set}, or its place in
 * the sweep file (the nearest enclosing key when the setting itself came from the defaults).
 */
public final class Locator {

    private final String source;
    private final Map<String, Located> fileLocations;
    private final Map<String, Located> overrides;

    Locator(String source, Map<String, Located> fileLocations, Map<String, Located> overrides) {
        this.source = source;
        this.fileLocations = fileLocations;
        this.overrides = overrides;
    }

    /**
     * @param dotted a setting such as {@code data.batch_size}
     * @param origins the trial's swept keys and where the grid set them
     * @param keyItself point at the key rather than its value (for unknown keys)
     */
    public Located locate(String dotted, Map<String, Located> origins, boolean keyItself) {
        for (String k = dotted; !k.isEmpty(); k = k.contains(".") ? k.substring(0, k.lastIndexOf('.')) : "") {
            if (origins.containsKey(k)) {
                return origins.get(k);
            }
        }
        String pointer = dotted.isEmpty() ? "" : "/" + dotted.replace(".", "/");
        return locatePointer(keyItself ? pointer + "#key" : pointer);
    }

    /** Where the value at a JSON pointer of the file was written ({@code #key} suffix: its key). */
    Located locatePointer(String pointer) {
        String plain = pointer.replace("#key", "");
        for (String p = plain; ; p = p.substring(0, Math.max(0, p.lastIndexOf('/')))) {
            if (overrides.containsKey(p)) {
                return overrides.get(p);
            }
            Located at = p.equals(plain) && pointer.endsWith("#key") ? fileLocations.get(pointer) : null;
            if (at == null) {
                at = fileLocations.get(p);
            }
            if (at != null) {
                return at;
            }
            if (p.isEmpty()) {
                return new Located(source, 0, 0);
            }
        }
    }

    /** A bad value: the error names where the value at {@code pointer} was written. */
    UserError error(String pointer, String message) {
        return new UserError(locatePointer(pointer) + ": " + message);
    }

    /** A key as one segment of a JSON pointer. */
    static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }
}

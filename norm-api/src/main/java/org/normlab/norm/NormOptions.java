package org.normlab.norm;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** Validated option values of one norm, defaults filled in. Only the registry creates them. */
public final class NormOptions {

    private final Map<String, Object> values;

    NormOptions(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public double getDouble(String name) {
        return ((Number) get(name)).doubleValue();
    }

    public float getFloat(String name) {
        return (float) getDouble(name);
    }

    public int getInt(String name) {
        return ((Number) get(name)).intValue();
    }

    public boolean getBoolean(String name) {
        return (Boolean) get(name);
    }

    public String getString(String name) {
        return (String) get(name);
    }

    /** All values, in declaration order. */
    public Map<String, Object> asMap() {
        return values;
    }

    private Object get(String name) {
        if (!values.containsKey(name)) {
            throw new IllegalStateException("no option '" + name + "' was declared");
        }
        return values.get(name);
    }

    @Override
    public String toString() {
        return values.toString();
    }
}

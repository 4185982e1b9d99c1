package org.normlab.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The swept settings of a trial (every swept key except the seed), or a subset of them. Two
 * settings are equal when they hold the same keys with the same values; numbers compare by
 * value, so 0.5 and 0.50 are one group.
 */
public final class Settings {

    public static final Settings NONE = new Settings(Map.of());

    private final Map<String, JsonNode> values;
    private final Map<String, String> canonical;

    public Settings(Map<String, JsonNode> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        Map<String, String> c = new TreeMap<>();
        values.forEach((k, v) -> c.put(k, canonical(v)));
        this.canonical = c;
    }

    public Map<String, JsonNode> values() {
        return values;
    }

    public JsonNode get(String key) {
        return values.get(key);
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** These settings without {@code keys}. */
    public Settings without(Collection<String> keys) {
        Map<String, JsonNode> kept = new LinkedHashMap<>(values);
        kept.keySet().removeAll(keys);
        return new Settings(kept);
    }

    /** The value of {@code key} as a person reads it; "—" when the key is absent or null. */
    public String display(String key) {
        return display(values.get(key));
    }

    static String display(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return "—";
        }
        return v.isTextual() ? v.asText() : v.toString();
    }

    /** "key=value, key=value" in the order of {@code keyOrder} (keys not in it come last). */
    public String label(List<String> keyOrder) {
        if (values.isEmpty()) {
            return "all trials";
        }
        Map<String, JsonNode> ordered = new LinkedHashMap<>();
        keyOrder.stream().filter(values::containsKey).forEach(k -> ordered.put(k, values.get(k)));
        values.forEach(ordered::putIfAbsent);
        return ordered.entrySet().stream()
                .map(e -> e.getKey() + "=" + display(e.getValue()))
                .collect(Collectors.joining(", "));
    }

    static String canonical(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return "null";
        }
        if (v.isNumber()) {
            return "n:" + v.decimalValue().stripTrailingZeros().toPlainString();
        }
        if (v.isTextual()) {
            return "s:" + v.asText();
        }
        return "j:" + v;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Settings s && canonical.equals(s.canonical);
    }

    @Override
    public int hashCode() {
        return canonical.hashCode();
    }

    @Override
    public String toString() {
        return label(List.of());
    }
}

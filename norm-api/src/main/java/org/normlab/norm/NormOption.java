package org.normlab.norm;

import java.util.List;
import java.util.Locale;

/**
 * One option a norm provider accepts: its name, type, default and allowed values. Providers
 * declare their options; the registry validates user values against them before any block is
 * built (as Flink's factories declare required and optional options).
 */
public final class NormOption {

    /** The value types an option can have. */
    public enum Type {
        DOUBLE,
        INT,
        BOOLEAN,
        STRING
    }

    private final String name;
    private final Type type;
    private final Object defaultValue;
    private final String description;
    private final double min;
    private final double max;
    private final boolean minOpen;
    private final List<String> choices;

    private NormOption(
            String name,
            Type type,
            Object defaultValue,
            String description,
            double min,
            boolean minOpen,
            double max,
            List<String> choices) {
        this.name = name;
        this.type = type;
        this.defaultValue = defaultValue;
        this.description = description;
        this.min = min;
        this.minOpen = minOpen;
        this.max = max;
        this.choices = choices;
    }

    /** A real number in [min, max]. */
    public static NormOption real(String name, double def, double min, double max, String desc) {
        return new NormOption(name, Type.DOUBLE, def, desc, min, false, max, List.of());
    }

    /** A real number in (min, max]: for values such as eps that must stay above a bound. */
    public static NormOption positive(String name, double def, double max, String desc) {
        return new NormOption(name, Type.DOUBLE, def, desc, 0, true, max, List.of());
    }

    /** An integer in [min, max]. */
    public static NormOption integer(String name, int def, int min, int max, String desc) {
        return new NormOption(name, Type.INT, def, desc, min, false, max, List.of());
    }

    public static NormOption bool(String name, boolean def, String desc) {
        return new NormOption(name, Type.BOOLEAN, def, desc, 0, false, 0, List.of());
    }

    /** A string; when choices are given, one of them. A null default means "required". */
    public static NormOption string(String name, String def, List<String> choices, String desc) {
        return new NormOption(name, Type.STRING, def, desc, 0, false, 0, List.copyOf(choices));
    }

    public String name() {
        return name;
    }

    public Type type() {
        return type;
    }

    /** The default value, or null when the option is required. */
    public Object defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }

    /** Describes the allowed values, for help texts and error messages. */
    public String allowed() {
        switch (type) {
            case DOUBLE:
                return String.format(
                        Locale.ROOT, "a number in %s%s, %s]", minOpen ? "(" : "[", fmt(min), fmt(max));
            case INT:
                return String.format(Locale.ROOT, "an integer in [%d, %d]", (long) min, (long) max);
            case BOOLEAN:
                return "true or false";
            default:
                return choices.isEmpty() ? "a string" : "one of " + String.join(", ", choices);
        }
    }

    /**
     * Converts and checks a raw value (from YAML, JSON or a command line).
     *
     * @throws NormConfigException naming the option, the value and what is allowed
     */
    public Object validate(Object raw) {
        Object value = convert(raw);
        if (value == null || !inRange(value)) {
            throw new NormConfigException(
                    name,
                    String.format(
                            "option '%s' has value '%s', but it must be %s", name, raw, allowed()));
        }
        return value;
    }

    private Object convert(Object raw) {
        if (raw == null) {
            return null;
        }
        String text = raw.toString().trim();
        try {
            switch (type) {
                case DOUBLE:
                    return raw instanceof Number ? ((Number) raw).doubleValue() : Double.parseDouble(text);
                case INT:
                    if (raw instanceof Integer || raw instanceof Long) {
                        return ((Number) raw).intValue();
                    }
                    return Integer.parseInt(text);
                case BOOLEAN:
                    if (raw instanceof Boolean) {
                        return raw;
                    }
                    return "true".equalsIgnoreCase(text) || "false".equalsIgnoreCase(text)
                            ? Boolean.parseBoolean(text)
                            : null;
                default:
                    return raw instanceof String ? text : null;
            }
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private boolean inRange(Object value) {
        switch (type) {
            case DOUBLE:
            case INT:
                double v = ((Number) value).doubleValue();
                boolean aboveMin = minOpen ? v > min : v >= min;
                return Double.isFinite(v) && aboveMin && v <= max;
            case STRING:
                return choices.isEmpty() || choices.contains(value);
            default:
                return true;
        }
    }

    private static String fmt(double v) {
        if (v == Double.MAX_VALUE) {
            return "inf";
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    @Override
    public String toString() {
        return name + "=" + defaultValue;
    }
}

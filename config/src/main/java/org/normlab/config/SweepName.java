package org.normlab.config;

import com.fasterxml.jackson.databind.JsonNode;

/** A sweep's {@code name:}: it names the results folder (runs/NAME), so it must be a plain folder name. */
final class SweepName {

    static final int MAX_LENGTH = 100;

    static final String ALLOWED = "a sweep name is 1 to " + MAX_LENGTH
            + " letters, digits, '.', '_' or '-', starting with a letter or digit, e.g. name: noise-2 (it names the results folder)";

    private SweepName() {}

    /** What is wrong with a given {@code name:} value, or null when it is a valid name. */
    static String problem(JsonNode value) {
        if (value.isNull()) {
            return "has no value";
        }
        if (value.isContainerNode()) {
            return "is a " + (value.isArray() ? "list" : "mapping") + ", not a name";
        }
        if (!value.isTextual()) {
            return "'" + value.asText() + "' is a " + (value.isNumber() ? "number" : value.getNodeType().name().toLowerCase())
                    + ", not a name (quote it to use it as one: name: \"" + value.asText() + "\")";
        }
        String name = value.asText();
        if (name.isEmpty()) {
            return "is empty";
        }
        if (name.length() > MAX_LENGTH) {
            return "is " + name.length() + " characters long";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean plain = c < 128 && (Character.isLetterOrDigit(c) || (i > 0 && (c == '.' || c == '_' || c == '-')));
            if (!plain) {
                return "'" + name + "' " + (i == 0 ? "starts with " : "contains ") + shown(c)
                        + (name.equals("..") || name.equals(".") ? " (a folder of its own: it would write outside runs/)" : "");
            }
        }
        return null;
    }

    private static String shown(char c) {
        return switch (c) {
            case ' ' -> "a space";
            case '\t' -> "a tab";
            case '/' -> "'/' (a folder separator)";
            case '\\' -> "'\\' (a folder separator on Windows)";
            default -> Character.isISOControl(c) ? String.format("the control character U+%04X", (int) c) : "'" + c + "'";
        };
    }
}

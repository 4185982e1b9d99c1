package org.normlab.results;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/** Reads the JSON files of RESULTS-FORMAT.md; anything malformed is a {@link UserError} naming the file. */
public final class ResultJson {

    /** Reads what the writers wrote, NaN and Infinity included. */
    public static final ObjectMapper READER =
            JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    private ResultJson() {}

    /** The JSON in {@code file}; syntax errors name the line and column. */
    public static JsonNode read(Path file) {
        try {
            JsonNode node = READER.readTree(file.toFile());
            if (node == null || node.isMissingNode()) {
                throw new UserError(file + ": the file is empty; expected JSON");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new UserError(file + ": not valid JSON: " + describe(e), e);
        } catch (IOException e) {
            throw new UserError(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** "line 3, column 7: Unexpected character ..." */
    public static String describe(JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String where = at == null || at.getLineNr() < 0
                ? ""
                : "line " + at.getLineNr() + ", column " + at.getColumnNr() + ": ";
        return where + e.getOriginalMessage();
    }

    /** The non-empty string {@code node.field}, else a {@link UserError} at {@code where}. */
    public static String requireText(JsonNode node, String field, String where) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new UserError(String.format(
                    "%s: '%s' must be a non-empty string, found %s", where, field, v == null ? "nothing" : v));
        }
        return v.asText();
    }

    /** "object", "array", "string", ... for messages. */
    public static String kind(JsonNode n) {
        return n.getNodeType().name().toLowerCase(Locale.ROOT);
    }
}

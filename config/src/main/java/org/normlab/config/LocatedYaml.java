package org.normlab.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.HashMap;
import java.util.Map;
import org.normlab.results.UserError;

/**
 * A YAML document read with Jackson into a tree, remembering the line and column of every
 * value (by JSON pointer) so that errors found later can say where the user wrote it.
 */
public final class LocatedYaml {

    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final JsonNode root;
    private final Map<String, Located> locations;

    private LocatedYaml(JsonNode root, Map<String, Located> locations) {
        this.root = root;
        this.locations = locations;
    }

    public static LocatedYaml parse(String source, Reader reader) {
        Map<String, Located> locations = new HashMap<>();
        try (JsonParser parser = YAML.getFactory().createParser(reader)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new UserError(source + ": the file is empty");
            }
            JsonNode root = read(parser, source, JsonPointer.empty(), locations);
            if (parser.nextToken() != null) {
                throw new UserError(source + ": holds more than one YAML document; a sweep is one document");
            }
            return new LocatedYaml(root, locations);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? source : source + ":" + at.getLineNr() + ":" + at.getColumnNr();
            throw new UserError(where + ": malformed YAML: " + e.getOriginalMessage().lines().findFirst().orElse(""));
        } catch (IOException e) {
            throw new UserError(source + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** Parses one value written on the command line ({@code --set key=VALUE}) as YAML. */
    public static JsonNode parseValue(String text) {
        try {
            JsonNode node = YAML.readTree(new StringReader(text));
            return node == null || node.isMissingNode() ? JsonNodeFactory.instance.nullNode() : node;
        } catch (IOException e) {
            throw new UserError("--set: cannot read value '" + text + "': " + e.getMessage());
        }
    }

    public JsonNode root() {
        return root;
    }

    /** Where the value at this pointer was written, or null. */
    public Located locate(JsonPointer pointer) {
        return locations.get(pointer.toString());
    }

    public Map<String, Located> locations() {
        return locations;
    }

    private static JsonNode read(JsonParser p, String source, JsonPointer at, Map<String, Located> locations)
            throws IOException {
        JsonLocation loc = p.currentTokenLocation();
        locations.put(at.toString(), new Located(source, loc.getLineNr(), loc.getColumnNr()));
        JsonToken token = p.currentToken();
        if (token == JsonToken.START_OBJECT) {
            ObjectNode node = JsonNodeFactory.instance.objectNode();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonLocation keyLoc = p.currentTokenLocation();
                if (node.has(name)) {
                    throw new UserError(String.format(
                            "%s:%d:%d: key '%s' appears twice", source, keyLoc.getLineNr(), keyLoc.getColumnNr(), name));
                }
                p.nextToken();
                JsonPointer child = at.appendProperty(name);
                node.set(name, read(p, source, child, locations));
                // Errors about a key point at the key, not at its value.
                locations.put(child + "#key", new Located(source, keyLoc.getLineNr(), keyLoc.getColumnNr()));
            }
            return node;
        }
        if (token == JsonToken.START_ARRAY) {
            ArrayNode node = JsonNodeFactory.instance.arrayNode();
            int i = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                node.add(read(p, source, at.appendIndex(i++), locations));
            }
            return node;
        }
        return YAML.readTree(p);
    }
}

package org.normlab.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.normlab.results.UserError;
import org.normlab.norm.Spelling;

/**
 * Binds a trial's resolved settings tree to a validated {@link TrialConfig}: an unknown key, a
 * value of the wrong type or a value {@link TrialConfig#validate} refuses is an error naming
 * where it was written (file, line and column, grid entry or {@code --set}) and what is allowed.
 */
final class TrialBinder {

    /** Snake-case keys, unknown keys refused, maps written in key order (trial ids hash this form). */
    static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private final String source;
    private final Locator locator;
    private final List<String> datasets;

    /** @param datasets the data.name values allowed (built-in and plugins' datasets) */
    TrialBinder(String source, Locator locator, List<String> datasets) {
        this.source = source;
        this.locator = locator;
        this.datasets = datasets;
    }

    /**
     * @param origins the trial's swept keys and where the grid set them
     * @param what the trial, for errors that have no location
     */
    TrialConfig bind(ObjectNode resolved, Map<String, Located> origins, String what) {
        TrialConfig config;
        try {
            config = MAPPER.treeToValue(resolved, TrialConfig.class);
        } catch (UnrecognizedPropertyException e) {
            String key = dotted(e.getPath());
            List<String> known = e.getKnownPropertyIds().stream().map(Object::toString).sorted().toList();
            throw new UserError(String.format("%s: unknown setting '%s'%s; known keys here: %s",
                    locator.locate(key, origins, true), key, Spelling.hint(e.getPropertyName(), known), String.join(", ", known)));
        } catch (JsonMappingException e) {
            String key = dotted(e.getPath());
            throw new UserError(String.format("%s: %s: wrong type: %s",
                    locator.locate(key, origins, false), key, e.getOriginalMessage().lines().findFirst().orElse("")
                            .replaceAll(" \\(class [^)]*\\)", "").replaceAll("`[a-z.]*\\$?([A-Za-z]+)`", "$1")));
        } catch (IOException e) {
            throw new UserError(source + ": " + what + ": " + e.getMessage());
        }
        Problems problems = new Problems();
        config.validate(problems, datasets);
        if (!problems.isEmpty()) {
            Problems.Problem first = problems.list().get(0);
            throw new UserError(locator.locate(first.key(), origins, false) + ": " + first.key() + ": " + first.message());
        }
        return config;
    }

    private static String dotted(List<JsonMappingException.Reference> path) {
        return path.stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : String.valueOf(r.getIndex()))
                .collect(Collectors.joining("."));
    }
}

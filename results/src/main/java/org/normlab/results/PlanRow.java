package org.normlab.results;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One planned trial, a row of trials.json.
 *
 * @param swept the value of every grid axis (named axes give their label), in grid order
 */
public record PlanRow(String trialId, long seed, Map<String, Object> swept) {

    /** A row as trials.json holds it. */
    public static PlanRow of(JsonNode row) {
        Map<String, Object> swept = new LinkedHashMap<>();
        row.path(ResultSchema.SWEPT).fields().forEachRemaining(e -> swept.put(e.getKey(), value(e.getValue())));
        return new PlanRow(row.path(ResultSchema.TRIAL_ID).asText(), row.path(ResultSchema.SEED).asLong(), swept);
    }

    /** A swept value as the sweep loader holds it (so results.csv prints it the same way). */
    public static Object value(JsonNode v) {
        if (v.isIntegralNumber()) {
            return v.asLong();
        }
        if (v.isNumber()) {
            return v.asDouble();
        }
        if (v.isBoolean()) {
            return v.asBoolean();
        }
        return v.isTextual() ? v.asText() : v.toString();
    }
}

package org.normlab.experiments.train;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * Which trial runs, as its result files name it.
 *
 * @param swept the value of every grid axis for this trial
 * @param settings the resolved settings, written as they are to config.yaml and result.json
 */
public record TrialIdentity(String id, long seed, Map<String, Object> swept, JsonNode settings) {}

package org.normlab.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.normlab.results.Provenance;

/**
 * Which trial runs, as its result files name it.
 *
 * @param sweep the name of the sweep it belongs to
 * @param swept the value of every grid axis for this trial
 * @param settings the resolved settings, written as they are to config.yaml and result.json
 * @param provenance the code the trial runs with (NormLab, its norm providers), for result.json
 */
public record TrialIdentity(String sweep, String id, long seed, Map<String, Object> swept, JsonNode settings, Provenance provenance) {}

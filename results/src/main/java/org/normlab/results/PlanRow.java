package org.normlab.results;

import java.util.Map;

/**
 * One planned trial, a row of trials.json.
 *
 * @param swept the value of every grid axis (named axes give their label), in grid order
 */
public record PlanRow(String trialId, long seed, Map<String, Object> swept) {}

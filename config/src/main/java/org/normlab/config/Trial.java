package org.normlab.config;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * One point of a sweep's grid with one seed.
 *
 * @param id stable id: a hash of the resolved settings and the seed
 * @param index 0-based position in the sweep
 * @param seed the seed of everything random in the trial
 * @param swept the value of every grid axis for this trial (named axes give their label)
 * @param config the resolved, validated settings
 * @param resolved the same settings as a tree, as written to config.yaml
 * @param origins where each swept dotted key was set, for error messages
 */
public record Trial(
        String id,
        int index,
        long seed,
        Map<String, Object> swept,
        TrialConfig config,
        ObjectNode resolved,
        Map<String, Located> origins) {}

package org.normlab.experiments.report;

import java.nio.file.Path;
import java.util.List;

/** A trial id whose result.json differs between shards: none of its copies is counted. */
public record Conflict(String trialId, List<Path> files, String difference) {}

package org.normlab.results;

import java.nio.file.Path;
import java.util.List;

/**
 * A trial whose copies in several folders differ in more than {@link RunDependent} fields:
 * none of its copies counts.
 *
 * @param difference the first difference, e.g. {@code metrics.final_val_acc 0.7 vs 0.71}
 */
public record Conflict(String trialId, List<Path> files, String difference) {}

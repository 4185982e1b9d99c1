package org.normlab.results;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code stale.json} in a sweep's folder: the finished trials whose recorded {@link Provenance}
 * differs from the code of the last run that looked at them, which skipped them (without
 * {@code --rerun-stale}); trial id to what changed. Written by each run, absent when none is
 * stale, read by the report.
 */
public final class StaleTrials {

    private StaleTrials() {}

    /** Writes {@code stale} to the folder's stale.json, or removes the file when it is empty. */
    public static void write(Path sweepDir, Map<String, List<String>> stale) throws IOException {
        Path file = sweepDir.resolve(FileNames.STALE);
        if (stale.isEmpty()) {
            Files.deleteIfExists(file);
        } else {
            AtomicFiles.write(file, ResultStore.JSON.writeValueAsBytes(stale));
        }
    }

    /** The folder's stale trials, empty when it has no stale.json. */
    public static Map<String, List<String>> read(Path sweepDir) {
        Path file = sweepDir.resolve(FileNames.STALE);
        if (!Files.isRegularFile(file)) {
            return Map.of();
        }
        JsonNode node = ResultJson.read(file);
        try {
            return ResultJson.READER.convertValue(node, new TypeReference<LinkedHashMap<String, List<String>>>() {});
        } catch (IllegalArgumentException e) {
            throw new UserError(file + ": expected {\"trial id\": [\"what changed\", ...]}, found " + ResultJson.kind(node));
        }
    }
}

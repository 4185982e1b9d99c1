package org.normlab.results;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A --parallel worker writes into its parent's locked folder, and only there. */
class WorkerStoreTest {

    @TempDir Path dir;

    @Test
    void aWorkerNeedsAParentHoldingTheLock() throws Exception {
        UserError none = assertThrows(UserError.class, () -> ResultStore.openAsWorker(dir.resolve("nowhere")));
        assertTrue(none.getMessage().contains("--worker-trials is internal to --parallel"), none.getMessage());

        try (ResultStore parent = ResultStore.open(dir)) {
            // The parent is this JVM here (ScaleIT covers worker processes); the worker takes no lock of its own.
            try (ResultStore worker = ResultStore.openAsWorker(dir)) {
                assertEquals(dir, worker.dir());
            }
        }
        UserError released = assertThrows(UserError.class, () -> ResultStore.openAsWorker(dir));
        assertTrue(released.getMessage().contains("is not locked by a running sweep"), released.getMessage());
        assertTrue(Files.isRegularFile(dir.resolve(".lock")));
    }
}

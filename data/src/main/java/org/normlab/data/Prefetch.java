package org.normlab.data;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One background thread on which a {@link BatchLoader} prepares the next batch while the consumer
 * works on the current one; at most one task is pending, and its failure surfaces on {@link #await}.
 */
final class Prefetch implements AutoCloseable {

    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "batch-prefetch");
        t.setDaemon(true);
        return t;
    });
    private Future<?> pending;

    /** Starts {@code task}; call {@link #await} before the next one. */
    void submit(Runnable task) {
        pending = thread.submit(task);
    }

    /** Waits for the pending task, if any, and rethrows what it threw. */
    void await() {
        if (pending == null) {
            return;
        }
        Future<?> f = pending;
        pending = null;
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatasetException("interrupted while waiting for the next batch", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new DatasetException("preparing a batch failed: " + cause, cause);
        }
    }

    /** Stops the thread. */
    @Override
    public void close() {
        thread.shutdownNow();
    }
}

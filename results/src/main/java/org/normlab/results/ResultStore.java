package org.normlab.results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import static org.normlab.results.ResultSchema.*;

/**
 * The results folder of one sweep ({@code OUT/<sweep name>/}, see RESULTS-FORMAT.md). Files
 * are the interface: every file is written atomically, {@code results.csv} is derived from the
 * trials' {@code result.json} files, and a lock keeps a second process out while one runs.
 */
public final class ResultStore implements AutoCloseable {

    public static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT);
    public static final ObjectMapper YAML = new ObjectMapper(
            new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                    .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    private final Path dir;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private ResultStore(Path dir, FileChannel lockChannel, FileLock lock) {
        this.dir = dir;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Opens (creating) a sweep's folder and locks it. The lock is the operating system's, so a
     * process that dies leaves no stale lock behind.
     *
     * @throws UserError when the folder cannot be written or another process holds the lock
     */
    public static ResultStore open(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UserError("cannot create the output folder " + dir + ": " + e.getMessage());
        }
        if (!Files.isWritable(dir)) {
            throw new UserError("the output folder " + dir + " is not writable; choose another with --out");
        }
        Path lockFile = dir.resolve(".lock");
        try {
            FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                ch.close();
                throw new UserError("another NormLab process is running a sweep in " + dir
                        + "; wait for it to finish or use another --out folder");
            }
            removeTemporaryFiles(dir);
            ch.truncate(0);
            ch.write(java.nio.ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes()));
            return new ResultStore(dir, ch, lock);
        } catch (IOException e) {
            throw new UserError("cannot lock " + lockFile + ": " + e.getMessage() + "; is the folder writable?");
        }
    }

    /** Temporary files of writes that a crash interrupted: never part of a result, so removed. */
    private static void removeTemporaryFiles(Path dir) throws IOException {
        try (java.util.stream.Stream<Path> files = Files.walk(dir, 3)) {
            for (Path f : files.filter(f -> {
                String n = f.getFileName().toString();
                return n.startsWith(".") && n.endsWith(".tmp");
            }).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }

    /**
     * Opens a sweep's folder that a parent process holds locked, for a {@code --parallel} worker:
     * the worker writes only its own trials' folders and takes no lock.
     *
     * @throws UserError when no other process holds the folder's lock
     */
    public static ResultStore openAsWorker(Path dir) {
        Path lockFile = dir.resolve(".lock");
        try (FileChannel ch = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock probe = ch.tryLock();
            if (probe != null) {
                probe.release();
                throw new UserError(dir + " is not locked by a running sweep; --worker-trials is internal to --parallel");
            }
        } catch (OverlappingFileLockException e) {
            // This JVM holds the lock: the parent is here.
        } catch (IOException e) {
            throw new UserError("cannot open " + lockFile + ": " + e.getMessage()
                    + "; --worker-trials is internal to --parallel");
        }
        return new ResultStore(dir, null, null);
    }

    /**
     * A sweep's folder for reading its results only (a {@code --dry-run}): takes no lock and
     * creates nothing; a folder that does not exist has no results.
     */
    public static ResultStore reading(Path dir) {
        return new ResultStore(dir, null, null);
    }

    public Path dir() {
        return dir;
    }

    public Path trialDir(String trialId) {
        return dir.resolve(trialId);
    }

    /** Writes sweep.yaml (the resolved sweep) and trials.json (every planned trial). */
    public void writeSweep(JsonNode sweepDoc, List<PlanRow> plan) throws IOException {
        AtomicFiles.write(dir.resolve(FileNames.SWEEP), YAML.writeValueAsBytes(sweepDoc));
        AtomicFiles.write(dir.resolve(FileNames.TRIALS), JSON.writeValueAsBytes(planJson(plan)));
    }

    /** The plan as trials.json (and shard.json) hold it. */
    public static ArrayNode planJson(List<PlanRow> plan) {
        ArrayNode trials = JsonNodeFactory.instance.arrayNode();
        for (PlanRow t : plan) {
            ObjectNode row = trials.addObject();
            row.put(TRIAL_ID, t.trialId());
            row.put(SEED, t.seed());
            row.set(SWEPT, JSON.valueToTree(t.swept()));
        }
        return trials;
    }

    /** The trial's result, or null when it has none (never run, or interrupted). */
    public TrialResult read(String trialId) {
        Path file = trialDir(trialId).resolve(FileNames.RESULT);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return JSON.readValue(file.toFile(), TrialResult.class);
        } catch (IOException e) {
            throw new UserError(file + ": unreadable result (" + e.getMessage() + "); delete it to rerun the trial");
        }
    }

    /** Writes the trial's resolved settings, config.yaml. */
    public void writeConfig(String trialId, JsonNode resolved) throws IOException {
        AtomicFiles.write(trialDir(trialId).resolve(FileNames.CONFIG), YAML.writeValueAsBytes(resolved));
    }

    public void writeResult(TrialResult result) throws IOException {
        AtomicFiles.write(trialDir(result.trialId()).resolve(FileNames.RESULT), JSON.writeValueAsBytes(result));
    }

    /** Rewrites metrics.csv with every epoch so far. */
    public void writeMetrics(String trialId, List<TrialResult.Epoch> history) throws IOException {
        List<String> components = history.isEmpty() || history.get(0).valAccByComponent() == null
                ? List.of() : new ArrayList<>(history.get(0).valAccByComponent().keySet());
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
        METRICS_CSV_COLUMNS.forEach(schema::addColumn);
        components.forEach(c -> schema.addColumn(COMPONENT_PREFIX + c));
        List<Map<String, Object>> rows = new ArrayList<>();
        for (TrialResult.Epoch e : history) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put(EPOCH, e.epoch());
            row.put(STEP, e.step());
            row.put(LR, e.lr());
            row.put(TRAIN_LOSS, e.trainLoss());
            row.put(TRAIN_ACC, e.trainAcc());
            row.put(VAL_LOSS, e.valLoss());
            row.put(VAL_ACC, e.valAcc());
            row.put(TRAIN_IMG_S, e.trainImgS());
            row.put(EPOCH_S, e.epochS());
            components.forEach(c -> row.put(COMPONENT_PREFIX + c, e.valAccByComponent().get(c)));
            rows.add(row);
        }
        byte[] csv = new CsvMapper().writer(schema.build()).writeValueAsBytes(rows);
        AtomicFiles.write(trialDir(trialId).resolve(FileNames.METRICS), csv);
    }

    /**
     * Rebuilds results.csv from the result.json files of the planned trials, in plan order.
     *
     * @param axes the grid's axes, one column each
     * @return the number of rows written
     */
    public int writeResultsCsv(List<String> axes, List<PlanRow> plan) throws IOException {
        List<TrialResult> results = new ArrayList<>();
        List<PlanRow> rowsPlan = new ArrayList<>();
        for (PlanRow t : plan) {
            TrialResult r = read(t.trialId());
            if (r != null) {
                results.add(r);
                rowsPlan.add(t);
            }
        }
        List<String> metricColumns = new ArrayList<>(RESULTS_CSV_METRICS);
        // eval.stats columns only when some trial has them, in their fixed order.
        for (String c : EVAL_STATS_METRICS) {
            if (results.stream().anyMatch(r -> r.metrics() != null && !JSON.valueToTree(r.metrics()).path(c).isMissingNode())) {
                metricColumns.add(c);
            }
        }
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
        schema.addColumn(TRIAL_ID).addColumn(STATUS).addColumn(SEED);
        axes.forEach(schema::addColumn);
        metricColumns.forEach(schema::addColumn);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            TrialResult r = results.get(i);
            PlanRow t = rowsPlan.get(i);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put(TRIAL_ID, r.trialId());
            row.put(STATUS, r.status().id());
            row.put(SEED, r.seed());
            axes.forEach(a -> row.put(a, t.swept().get(a)));
            JsonNode m = JSON.valueToTree(r.metrics());
            metricColumns.forEach(c -> row.put(c, m == null || m.path(c).isNull() || m.path(c).isMissingNode() ? "" : m.path(c).asText()));
            rows.add(row);
        }
        AtomicFiles.write(dir.resolve(FileNames.RESULTS_CSV), new CsvMapper().writer(schema.build()).writeValueAsBytes(rows));
        return rows.size();
    }

    @Override
    public void close() throws IOException {
        if (lock != null) {
            lock.release();
            lockChannel.close();
        }
    }
}

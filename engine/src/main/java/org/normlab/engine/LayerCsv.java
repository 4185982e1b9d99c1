package org.normlab.engine;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.normlab.results.AtomicFiles;

/**
 * layers.csv's rows and how they reach the file: the fixed columns, then the columns a plugin's
 * probes add, in the order first seen (empty for rows without them). The file is rewritten
 * whole and atomically, so it is never torn.
 */
final class LayerCsv {

    private final Path file;
    private final List<String> fixedColumns;
    private final List<Map<String, Object>> rows = new ArrayList<>();
    private final Set<String> extraColumns = new LinkedHashSet<>();
    private int written = -1;

    /**
     * @param fixedColumns the columns every row may have, first, in this order
     */
    LayerCsv(Path file, List<String> fixedColumns) {
        this.file = file;
        this.fixedColumns = List.copyOf(fixedColumns);
    }

    /** A new row with the columns every row has; {@code channels} null leaves that cell empty. */
    static Map<String, Object> row(long step, int epoch, Object layer, String norm, Object channels) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("step", step);
        row.put("epoch", epoch + 1);
        row.put("layer", layer);
        row.put("norm", norm);
        if (channels != null) {
            row.put("channels", channels);
        }
        return row;
    }

    /** Puts value unless it is NaN (a statistic the layer's step does not keep): the cell stays empty. */
    static void putFinite(Map<String, Object> row, String column, double value) {
        if (!Double.isNaN(value)) {
            row.put(column, value);
        }
    }

    /** Appends a row; a column beyond the fixed ones becomes a column of the file. */
    void add(Map<String, Object> row) {
        for (String column : row.keySet()) {
            if (!fixedColumns.contains(column)) {
                extraColumns.add(column);
            }
        }
        rows.add(row);
    }

    /**
     * Reads back the rows of steps before {@code step} from the file, if there is one, with the
     * columns it has; later rows are dropped.
     */
    void keepBefore(long step) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        CsvSchema header = CsvSchema.emptySchema().withHeader();
        try (MappingIterator<Map<String, String>> it =
                new CsvMapper().readerForMapOf(String.class).with(header).readValues(file.toFile())) {
            CsvSchema read = (CsvSchema) it.getParserSchema();
            read.forEach(c -> {
                if (!fixedColumns.contains(c.getName())) {
                    extraColumns.add(c.getName());
                }
            });
            while (it.hasNextValue()) {
                Map<String, String> row = it.nextValue();
                if (Long.parseLong(row.get("step")) < step) {
                    row.values().removeIf(String::isEmpty); // empty cells are a layer without that value
                    rows.add(new LinkedHashMap<>(row));
                }
            }
        }
    }

    /** Rewrites the file with every row so far (nothing to do when none came since the last write). */
    void write() {
        if (written == rows.size()) {
            return;
        }
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
        fixedColumns.forEach(schema::addColumn);
        extraColumns.forEach(schema::addColumn);
        try {
            AtomicFiles.write(file, new CsvMapper().writer(schema.build()).writeValueAsBytes(rows));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        written = rows.size();
    }
}

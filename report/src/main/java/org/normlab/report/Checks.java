package org.normlab.report;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.normlab.results.UserError;

/**
 * Checks attached to a sweep's results: every {@code checks/*.csv} in a results folder (the
 * noise study's convergence check and PyTorch parity, written there by bench/compare_cells.py
 * --csv) becomes a table of the report, titled by its file name, in name order. The report only
 * shows them; what they compare is the script's (its header row says it).
 */
final class Checks {

    static final String FOLDER = "checks";

    private static final CsvMapper CSV = new CsvMapper().enable(CsvParser.Feature.WRAP_AS_ARRAY);

    /** One attached table: its file and its rows, the first being the header. */
    record Table(Path file, List<List<String>> rows) {
        String title() {
            String name = file.getFileName().toString();
            return name.substring(0, name.length() - ".csv".length());
        }
    }

    private Checks() {}

    static List<Table> read(List<Path> dirs) {
        List<Table> tables = new ArrayList<>();
        for (Path dir : dirs) {
            Path folder = dir.resolve(FOLDER);
            if (!Files.isDirectory(folder)) {
                continue;
            }
            List<Path> files;
            try (Stream<Path> list = Files.list(folder)) {
                files = list.filter(p -> p.getFileName().toString().endsWith(".csv")).sorted().toList();
            } catch (IOException e) {
                throw new UserError(folder + ": cannot list: " + e.getMessage(), e);
            }
            for (Path f : files) {
                tables.add(new Table(f, rows(f)));
            }
        }
        return tables;
    }

    private static List<List<String>> rows(Path file) {
        List<List<String>> rows = new ArrayList<>();
        try (MappingIterator<List<String>> it = CSV.readerForListOf(String.class).readValues(file.toFile())) {
            while (it.hasNext()) {
                rows.add(it.next());
            }
        } catch (IOException | RuntimeException e) {
            throw new UserError(file + ": not valid CSV: " + e.getMessage(), e);
        }
        if (rows.isEmpty()) {
            throw new UserError(file + ": empty; a check needs a header row and at least one row");
        }
        int width = rows.get(0).size();
        for (int i = 1; i < rows.size(); i++) {
            if (rows.get(i).size() != width) {
                throw new UserError(String.format("%s: row %d has %d cells, the header %d", file, i + 1, rows.get(i).size(), width));
            }
        }
        return rows;
    }

    /** The "Checks" section, or nothing when no folder has any. */
    static void build(List<Path> dirs, Doc doc) {
        List<Table> tables = read(dirs);
        if (tables.isEmpty()) {
            return;
        }
        doc.heading(1, "Checks");
        doc.paragraph("Tables attached to these results in `" + FOLDER + "/` (for the noise study: bench/compare_cells.py's "
                + "convergence check and PyTorch parity; see the README).");
        for (Table t : tables) {
            doc.heading(2, t.title());
            List<String> header = t.rows().get(0);
            doc.table(header, t.rows().subList(1, t.rows().size()), Collections.nCopies(header.size(), false));
        }
    }
}

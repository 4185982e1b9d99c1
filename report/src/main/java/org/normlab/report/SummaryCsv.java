package org.normlab.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * summary.csv (one row per group: the swept settings, the counts, and mean, std, n of every
 * metric, full precision) and comparisons.csv (every norm against its reference, with the Welch
 * interval). Empty cells where a value is undefined.
 */
final class SummaryCsv {

    private static final CsvMapper CSV = new CsvMapper();

    private SummaryCsv() {}

    static void write(Report report, Path dir) throws IOException {
        List<String> header = new ArrayList<>(report.data().sweptKeys());
        header.addAll(List.of(labelColumn(report.data().sweptKeys()), "planned", "completed", "diverged", "failed", "missing", "conflicting"));
        for (Metric m : report.metrics()) {
            header.addAll(List.of(m.name() + "_mean", m.name() + "_std", m.name() + "_n"));
        }
        List<List<String>> rows = new ArrayList<>();
        for (GroupRow r : report.rows()) {
            List<String> row = new ArrayList<>();
            report.data().sweptKeys().forEach(k -> row.add(value(r.settings(), k)));
            row.add(r.norm().label());
            for (int n : new int[] {r.planned(), r.completed(), r.diverged(), r.failed(), r.missing(), r.conflicts()}) {
                row.add(String.valueOf(n));
            }
            for (Metric m : report.metrics()) {
                Summary s = r.summary(m);
                row.addAll(List.of(number(s.mean()), number(s.std()), String.valueOf(s.n())));
            }
            rows.add(row);
        }
        write(dir.resolve("summary.csv"), header, rows);

        List<List<String>> comparisons = new ArrayList<>();
        for (NormComparison c : report.comparisons()) {
            WelchInterval ci = c.interval();
            comparisons.add(List.of(
                    c.context().label(report.data().sweptKeys()),
                    c.row().norm().label(),
                    c.reference() == null ? "" : c.reference().norm().label(),
                    String.valueOf(c.row().summary(Metric.FINAL_VAL_ACC).n()),
                    c.reference() == null ? "" : String.valueOf(c.reference().summary(Metric.FINAL_VAL_ACC).n()),
                    ci == null ? "" : number(ci.difference()),
                    ci == null ? "" : number(ci.lower()),
                    ci == null ? "" : number(ci.upper()),
                    ci == null ? "" : number(ci.df()),
                    ci == null ? "no reference row" : ci.defined() ? "" : ci.undefinedReason()));
        }
        if (!comparisons.isEmpty()) {
            write(dir.resolve("comparisons.csv"),
                    List.of("other_settings", "norm", "reference", "n", "n_reference", "difference_final_val_acc",
                            "welch95_low", "welch95_high", "welch_df", "note"),
                    comparisons);
        }
    }

    /**
     * The norm label's column: {@code norm}, or {@code norm_label} when a swept key (a named grid
     * axis) is itself called {@code norm}, so that no two columns share a name.
     */
    static String labelColumn(List<String> sweptKeys) {
        return sweptKeys.contains("norm") ? "norm_label" : "norm";
    }

    private static String value(Settings s, String key) {
        JsonNode v = s.get(key);
        return v == null || v.isNull() ? "" : Settings.display(v);
    }

    private static String number(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }

    private static void write(Path file, List<String> header, List<List<String>> rows) throws IOException {
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
        header.forEach(schema::addColumn);
        try (SequenceWriter w = CSV.writer(schema.build()).writeValues(file.toFile())) {
            for (List<String> row : rows) {
                w.write(row);
            }
        }
    }
}

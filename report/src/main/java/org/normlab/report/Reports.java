package org.normlab.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.normlab.results.UserError;

/**
 * Writes sweep reports; the Java entry point the sweep engine calls after every sweep (the
 * {@code report} command is the CLI one). A report reads only the result files (see
 * RESULTS-FORMAT.md) and works on partial sweeps.
 *
 * <p>Written into the report folder: {@code report.md}, a self-contained {@code report.html}
 * (images inline), {@code summary.csv}, {@code comparisons.csv} when the norm is swept, and the
 * plots as PNG files.
 */
public final class Reports {

    /** The report folder inside a sweep's result folder, by default. */
    public static final String DEFAULT_FOLDER = "report";

    private Reports() {}

    /**
     * Reads the result folders of one sweep (one folder, or several shards of it) and writes the
     * report.
     *
     * @param sweepDirs {@code OUT/<sweep name>} folders; several are merged as shards
     * @param reportDir where to write; null for {@code <first sweep dir>/report}
     * @return the report folder
     * @throws UserError when a folder or result file is not what RESULTS-FORMAT.md describes
     */
    public static Path write(List<Path> sweepDirs, Path reportDir) {
        return write(build(sweepDirs), reportDir);
    }

    /** Reads and aggregates the results without writing anything. */
    public static Report build(List<Path> sweepDirs) {
        return Report.of(SweepData.load(sweepDirs));
    }

    /** Writes {@code report} into {@code reportDir} (null: {@code <first sweep dir>/report}). */
    public static Path write(Report report, Path reportDir) {
        Path dir = reportDir != null ? reportDir : defaultFolder(report.data().dirs());
        try {
            Files.createDirectories(dir);
            deleteOldPlots(dir);
            List<Charts.Figure> lead = DoseCharts.write(report, Charts.colors(report), dir);
            List<Charts.Figure> figures = Charts.write(report, dir);
            Doc doc = ReportContent.build(report, lead, figures);
            Files.writeString(dir.resolve("report.md"), MarkdownWriter.render(doc), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("report.html"), HtmlWriter.render(doc, dir), StandardCharsets.UTF_8);
            SummaryCsv.write(report, dir);
        } catch (IOException e) {
            throw new UserError("cannot write the report into " + dir + ": " + e.getMessage(), e);
        }
        return dir;
    }

    public static Path defaultFolder(List<Path> sweepDirs) {
        return sweepDirs.get(0).resolve(DEFAULT_FOLDER);
    }

    /** Plots from an earlier report of a bigger sweep would otherwise linger beside the new ones. */
    private static void deleteOldPlots(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".png")).toList()) {
                String n = f.getFileName().toString();
                if (n.startsWith("learning_curves") || n.startsWith("accuracy_") || n.startsWith(DoseCharts.FILE)) {
                    Files.delete(f);
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}

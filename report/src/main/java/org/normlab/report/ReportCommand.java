package org.normlab.report;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.normlab.results.UserError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code report DIR... [--out REPORT_DIR] [--write-baseline FILE] [--baseline FILE]
 * [--tolerance METRIC=ABS ...]}: aggregates a sweep's result folder (several folders: shards of
 * one sweep, merged) into report.md, a self-contained report.html, summary.csv and PNG plots, and
 * optionally checks the results against a baseline.
 *
 * <p>Baseline checks compare group means. Default absolute tolerances: 0.02 on accuracies
 * ({@code final_val_acc}, {@code best_val_acc}, {@code final_train_acc},
 * {@code val_acc.<component>}; lower is worse), 0.05 on {@code final_val_loss} (higher is worse),
 * 0 on {@code params} (any change fails); {@code train_img_s} is only printed unless a tolerance
 * is given for it (then lower is worse). A group that disappeared or whose completed count shrank
 * fails too.
 *
 * <p>Exit codes: 0 fine; {@value #EXIT_REGRESSION} something got worse than the baseline allows;
 * {@value #EXIT_CONFLICT} shards disagree about a trial (its copies are left out of the report).
 */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        description = {
            "Aggregates a sweep's results into a report: report.md, a self-contained report.html (plots inline), "
                    + "summary.csv and PNG plots. Per group of swept settings (seeds pooled): mean ± sample std (n-1) "
                    + "of the final metrics, diverged/failed/missing counts, and each norm against bn with a Welch 95%% CI. "
                    + "Works on partial sweeps.",
            "Optionally compares the results with a baseline written earlier by --write-baseline, for regression tests."
        },
        footer = {
            "",
            "Default tolerances of --baseline (absolute, on group means):",
            "  final_val_acc, best_val_acc, final_train_acc, val_acc.<component>  0.02  (lower is worse)",
            "  final_val_loss                                                      0.05  (higher is worse)",
            "  params                                                              0     (any change fails)",
            "  train_img_s          not checked, only printed (machines differ); give a tolerance to check it",
            "A group that disappeared, or whose number of completed trials shrank, fails the check too.",
            "",
            "Exit codes: 0 ok; 1 a metric got worse beyond its tolerance (or a group is gone or shrank);",
            "3 shards hold different results for the same trial (those trials are left out of the report)."
        })
public final class ReportCommand implements Callable<Integer> {

    public static final int EXIT_OK = 0;
    public static final int EXIT_REGRESSION = 1;
    public static final int EXIT_CONFLICT = 3;

    @Parameters(
            arity = "1..*",
            paramLabel = "DIR",
            description = "A sweep's result folder (OUT/<sweep name>). Several folders are shards of one sweep and are merged.")
    List<Path> dirs;

    @Option(names = "--out", paramLabel = "REPORT_DIR", description = "Where to write the report (default: the first DIR/report).")
    Path out;

    @Option(names = "--write-baseline", paramLabel = "FILE", description = "Also write the results' statistics as a baseline JSON file.")
    Path writeBaseline;

    @Option(names = "--baseline", paramLabel = "FILE", description = "Compare the results with this baseline; exit 1 if anything got worse beyond its tolerance.")
    Path baseline;

    @Option(
            names = "--tolerance",
            paramLabel = "METRIC=ABS",
            split = ",",
            description = "Absolute tolerance of a metric for --baseline, overriding its default (repeatable, or comma-separated), e.g. final_val_acc=0.01.")
    Map<String, Double> tolerances = new LinkedHashMap<>();

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!tolerances.isEmpty() && baseline == null) {
            throw new UserError("--tolerance only applies to --baseline FILE, which is not given");
        }
        Map<String, Double> checkedTolerances = BaselineCheck.validateTolerances(tolerances);
        // Read the baseline before the slow part so that a broken file fails fast.
        Baseline old = baseline == null ? null : Baseline.read(baseline);

        Report report = Reports.build(dirs);
        Path dir = Reports.write(report, this.out);
        out.printf("Sweep '%s': %s planned, %d completed, %d diverged, %d failed, %s missing%n",
                report.data().name(),
                report.data().planKnown() ? String.valueOf(report.planned()) : "?",
                report.completed(), report.diverged(), report.failed(),
                report.data().planKnown() ? String.valueOf(report.missing()) : "?");
        out.println("Report written to " + dir.resolve("report.html") + " (also report.md, summary.csv, plots)");

        int code = EXIT_OK;
        if (old != null) {
            BaselineCheck check = BaselineCheck.compare(old, Baseline.of(report), checkedTolerances);
            out.println();
            out.println("Baseline check against " + baseline + ":");
            if (check.lines().isEmpty()) {
                out.println("nothing moved.");
            } else {
                out.print(check.table());
            }
            if (check.failed()) {
                out.println("FAILED: " + check.failures() + " line(s) got worse beyond the tolerance.");
                code = EXIT_REGRESSION;
            } else {
                out.println("OK: nothing got worse beyond its tolerance.");
            }
        }
        if (report.hasConflicts()) {
            err.println("ERROR: " + report.data().conflicts().size()
                    + " trial(s) have different results in different folders; they are left out of the report:");
            report.data().conflicts().forEach(c ->
                    err.println("  " + c.trialId() + ": " + c.difference() + " in " + c.files()));
            code = EXIT_CONFLICT;
        }
        if (writeBaseline != null) {
            if (report.hasConflicts()) {
                err.println("Not writing the baseline " + writeBaseline + ": resolve the conflicting trials first.");
            } else {
                Baseline.of(report).write(writeBaseline);
                out.println("Baseline written to " + writeBaseline);
            }
        }
        out.flush();
        err.flush();
        return code;
    }
}

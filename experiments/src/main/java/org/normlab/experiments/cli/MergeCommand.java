package org.normlab.experiments.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.normlab.results.UserError;
import org.normlab.report.ReportCommand;
import org.normlab.report.Reports;
import org.normlab.experiments.sweep.ShardFolders;
import org.normlab.experiments.sweep.ShardMerge;
import org.normlab.results.Conflict;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code merge DIR... [--out MERGED]}: the shards of a sweep into one results folder and report. */
@Command(name = "merge", mixinStandardHelpOptions = true,
        description = {"Combines the result folders of one sweep (the shard-i-of-n folders that `run --shard i/n` writes, "
                + "or any folders the same sweep ran into) into one results folder laid out like an unsharded run: "
                + "sweep.yaml, trials.json, a folder per trial, results.csv, and the report.",
                "A trial found in several folders counts once when its copies agree on everything but timings; "
                + "copies that differ are a conflict: they are listed and nothing is written.",
                "Trials no folder has a result for are listed; run the sweep (unsharded) into the merged folder's "
                + "parent to fill them in, it skips every trial that has a result."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:merged", "2:bad input: the message says what and where",
                "3:some trial has different results in different folders (nothing written)"})
final class MergeCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "DIR",
            description = "a shard folder (OUT/<sweep>/shard-i-of-n), or a folder holding shard folders (OUT/<sweep>), "
                    + "or any result folder of the same sweep")
    List<Path> dirs;

    @Option(names = "--out", paramLabel = "MERGED",
            description = "the merged results folder (default: the folder holding the shard folders, OUT/<sweep>, "
                    + "when all DIRs are shards of one)")
    Path out;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        List<Path> folders = ShardFolders.expand(dirs);
        Path target = out != null ? out : ShardFolders.defaultOut(folders);
        if (target == null) {
            throw new UserError("merge: give --out MERGED: the folders " + folders
                    + " are not all shard-i-of-n folders of one sweep folder");
        }
        ShardMerge merge = ShardMerge.read(folders, target);
        List<Conflict> conflicts = merge.conflicts();
        if (!conflicts.isEmpty()) {
            stderr.println("error: " + conflicts.size()
                    + " trial(s) have different results in different folders; nothing was written:");
            for (Conflict c : conflicts) {
                stderr.println("  " + c.trialId() + ": " + c.difference());
                c.files().forEach(f -> stderr.println("      " + f));
            }
            stderr.println("Delete the wrong copy (or all copies, to run the trial again) and merge again.");
            stderr.flush();
            return ReportCommand.EXIT_CONFLICT;
        }
        ShardMerge.Summary s = merge.write(target);
        Path report = Reports.write(List.of(s.out()), s.out().resolve(Reports.DEFAULT_FOLDER));
        stdout.printf("merged %d folder(s) into %s: %d of %d planned trials have a result (%s)%n", folders.size(), s.out(),
                s.merged(), s.planned(), statuses(s.byStatus()));
        if (s.duplicates() > 0) {
            stdout.printf("%d trial(s) were in more than one folder with the same result; counted once%n", s.duplicates());
        }
        if (!s.missing().isEmpty()) {
            stdout.printf("%d planned trial(s) have no result in any folder: %s%n", s.missing().size(),
                    String.join(", ", s.missing()));
        }
        s.notes().forEach(n -> stdout.println("note: " + n));
        stdout.printf("results: %s%nreport:  %s%n", s.out().resolve("results.csv"), report);
        stdout.flush();
        return 0;
    }

    private static String statuses(Map<String, Integer> byStatus) {
        return byStatus.isEmpty() ? "none"
                : byStatus.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "));
    }
}

package org.normlab.report;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs {@code report} through picocli as the CLI would, capturing output and any thrown exception. */
final class CommandRunner {

    final int exitCode;
    final String out;
    final String err;
    final Exception thrown;

    private CommandRunner(int exitCode, String out, String err, Exception thrown) {
        this.exitCode = exitCode;
        this.out = out;
        this.err = err;
        this.thrown = thrown;
    }

    static CommandRunner run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Exception[] thrown = new Exception[1];
        CommandLine cli = new CommandLine(new ReportCommand())
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .setExecutionExceptionHandler((ex, cmd, parsed) -> {
                    thrown[0] = ex;
                    return 99;
                });
        int code = cli.execute(args);
        return new CommandRunner(code, out.toString(), err.toString(), thrown[0]);
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err + (thrown == null ? "" : "--- thrown " + thrown);
    }
}

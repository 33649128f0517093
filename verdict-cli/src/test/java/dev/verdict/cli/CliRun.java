package dev.verdict.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

/** Runs the command line in-process with captured streams, as a test sees it. */
record CliRun(int exit, String out, String err) {

    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = VerdictCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CliRun(code, out.toString(), err.toString());
    }

    static CliRun analyze(Path spec, Path out) {
        return of("analyze", spec.toString(), "--out", out.toString());
    }

    /** The repository root, from the module folder Maven runs tests in. */
    static Path repo() {
        return Path.of("..").toAbsolutePath().normalize();
    }
}

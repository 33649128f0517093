package dev.verdict.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

/**
 * Runs the command line in-process with captured streams, as a test sees it. With the system property
 * {@code verdict.test.engine} (set by the Spark module, which runs these same tests from this module's test jar),
 * every {@code analyze} runs on that engine, with {@code verdict.test.master} as its master.
 */
record CliRun(int exit, String out, String err) {

    /** The engine the end-to-end tests run on: {@code duckdb} unless the build says otherwise. */
    static String engine() {
        return System.getProperty("verdict.test.engine", "duckdb");
    }

    static CliRun of(String... args) {
        if (args.length > 0 && args[0].equals("analyze") && !engine().equals("duckdb")
                && !java.util.Arrays.asList(args).contains("--engine")) {
            java.util.List<String> all = new java.util.ArrayList<>(java.util.Arrays.asList(args));
            all.addAll(java.util.List.of("--engine", engine(), "--master", System.getProperty("verdict.test.master",
                    "local[2]")));
            args = all.toArray(new String[0]);
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = VerdictCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CliRun(code, out.toString(), err.toString());
    }

    static CliRun analyze(Path spec, Path out) {
        return of("analyze", spec.toString(), "--out", out.toString());
    }

    /**
     * A small design lab for the lab readout tests: the bundled cache-eviction scenario, one simulated hour, two
     * replicates, under a request RCT, a switchback and a cluster RCT (the last two add other inference methods'
     * coverage rows).
     */
    static CliRun lab(Path out, int threads) {
        return of("lab", "cache-eviction", "--designs", "request,switchback,cluster", "--replicates", "2", "--hours", "1",
                "--threads", Integer.toString(threads), "--out", out.toString());
    }

    /** The repository root, from the module folder Maven runs tests in. */
    static Path repo() {
        return Path.of("..").toAbsolutePath().normalize();
    }
}

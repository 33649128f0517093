package dev.verdict.cli;

import dev.verdict.cli.pipeline.AnalysisPipeline;
import dev.verdict.cli.readout.Readout;
import dev.verdict.cli.readout.ReadoutFiles;
import dev.verdict.reduce.Engine;
import dev.verdict.reduce.EngineProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code verdict analyze SPEC}: the main job. Reads the spec, reduces the log on the chosen engine, estimates,
 * checks, decides, writes readout.md, readout.html and readout.json, prints a short summary, and exits with the
 * recommendation's status (0 for ship or ramp) so that it can gate a deployment pipeline.
 */
@Command(name = "analyze", mixinStandardHelpOptions = true,
        description = "Analyze an experiment spec and write its readout (readout.md, readout.html, readout.json).",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:ship or ramp", "10:target", "11:holdout", "12:pause", "13:roll back", "14:instrument more",
                "2:invalid spec or command line", "3:data that cannot be analyzed", "1:internal error (a bug)"})
final class AnalyzeCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SPEC", description = "The experiment spec (YAML).")
    Path spec;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder for the readout (default: ${DEFAULT-VALUE}).",
            defaultValue = "out")
    Path out;

    @Option(names = "--engine", paramLabel = "ENGINE", description = "Engine that reduces the log: duckdb (default, "
            + "embedded) or spark (default from VERDICT_ENGINE when set).", defaultValue = "${env:VERDICT_ENGINE:-duckdb}")
    String engine;

    @Option(names = "--master", paramLabel = "URL", description = "Spark master: local[*] (default), local[N], "
            + "spark://host:7077, yarn ... (default from VERDICT_SPARK_MASTER when set). Ignored by duckdb.",
            defaultValue = "${env:VERDICT_SPARK_MASTER}")
    String master;

    @Option(names = "--debug", description = "Print stack traces of errors.")
    boolean debug;

    @Spec
    picocli.CommandLine.Model.CommandSpec commandSpec;

    @Override
    public Integer call() {
        Readout r = analyze(spec, engine, master);
        ReadoutFiles.write(r, out);
        commandSpec.commandLine().getOut().print(Summary.of(r, out));
        commandSpec.commandLine().getOut().flush();
        return r.decision().recommendation().exitCode();
    }

    /** Runs the pipeline on the named engine. */
    static Readout analyze(Path spec, String engineName, String master) {
        try (Engine e = EngineProvider.open(engineName, master, "option '--engine'")) {
            return AnalysisPipeline.run(spec, e, ToolVersion.get());
        }
    }
}

package dev.verdict.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verdict.InputException;
import dev.verdict.sim.IdealExperiment;
import dev.verdict.sim.LogWriter;
import dev.verdict.sim.Scenario;
import dev.verdict.sim.Scenarios;
import dev.verdict.sim.SimDesign;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code verdict simulate SCENARIO}: simulates a shared inference system under one design and writes the request log,
 * the assignment table, a spec ready for {@code analyze}, and truth.json from the ideal experiment.
 */
@Command(name = "simulate", mixinStandardHelpOptions = true,
        description = {"Simulate a shared inference cluster under a design; write the log, the assignment, a spec and "
                + "truth.json (the ideal experiment's effects).",
                "SCENARIO is a scenario YAML file or a bundled name: cache-eviction, batching-budget, priority-tier, rate-limit."})
final class SimulateCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SCENARIO", description = "Scenario file or bundled scenario name.")
    String scenario;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", defaultValue = "out/sim",
            description = "Output folder (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--design", paramLabel = "DESIGN",
            description = "request, user, workspace, cluster, switchback or saturation (a third of the clusters pure control, a third at --share, a third fully treated) (default: the scenario's design).")
    String design;

    @Option(names = "--share", paramLabel = "P", description = "Treated share of units (default: the scenario's).")
    Double share;

    @Option(names = "--block-minutes", paramLabel = "M", description = "Switchback block length (default: the scenario's).")
    Double blockMinutes;

    @Option(names = "--washout-minutes", paramLabel = "M", description = "Switchback washout (default: the scenario's).")
    Double washoutMinutes;



    @Option(names = "--format", paramLabel = "FMT", defaultValue = "parquet",
            description = "Log format: parquet or csv (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--no-truth", description = "Skip the ideal experiment (two more simulations) and truth.json.")
    boolean noTruth;

    @Option(names = "--print-scenario", description = "Print the scenario's YAML (bundled ones are a starting point) and exit.")
    boolean printScenario;


    @Mixin
    RunOptions run = new RunOptions();

    @Spec
    picocli.CommandLine.Model.CommandSpec commandSpec;

    @Override
    public Integer call() {
        PrintWriter w = commandSpec.commandLine().getOut();
        if (printScenario) {
            w.print(Scenarios.BUNDLED.contains(scenario) ? Scenarios.text(scenario) : readText(Path.of(scenario)));
            w.flush();
            return 0;
        }
        Scenario sc = run.apply(Scenarios.load(scenario));
        SimDesign d = design(sc, design, share, blockMinutes, washoutMinutes);
        LogWriter.Format fmt = switch (format.toLowerCase(Locale.ROOT)) {
            case "parquet" -> LogWriter.Format.PARQUET;
            case "csv" -> LogWriter.Format.CSV;
            default -> throw InputException.spec("option --format: got '" + format + "'; use parquet or csv");
        };
        long t0 = System.nanoTime();
        SimRun.Output o = SimRun.simulate(sc, d, out, fmt);
        double secs = (System.nanoTime() - t0) / 1e9;
        w.printf(Locale.ROOT, "verdict simulate: %s, design %s (treated share %s), seed %d, %s h%n", sc.name(), d.name(),
                d.treatedShare(), sc.seed(), sc.hours());
        w.printf(Locale.ROOT, "  %d requests logged (%s %d, %s %d) in %.1f s%n", o.summary().count(),
                sc.control().label(), o.summary().count(0), sc.treatment().label(), o.summary().count(1), secs);
        String written = o.log().getFileName() + ", assignment.csv, spec.yaml";
        if (!noTruth) {
            IdealExperiment.Worlds worlds = IdealExperiment.worlds(sc);
            ObjectNode truth = SimRun.truth(sc, d, worlds, o.summary(), out.resolve("truth.json"));
            written += ", truth.json";
            ObjectNode e = (ObjectNode) truth.get("effects").get("ttft_ms");
            w.printf(Locale.ROOT, "  truth, ttft_ms mean: %s %.1f -> %s %.1f ms (global effect %+.1f ms); this design's "
                            + "request-level contrast %+.1f ms; spillover on untreated %+.1f ms%n",
                    sc.control().label(), e.get("all_control").asDouble(), sc.treatment().label(),
                    e.get("all_treatment").asDouble(), e.get("global_effect").asDouble(),
                    e.get("direct_effect").asDouble(), e.get("spillover_on_untreated").asDouble());
        }
        w.println("  wrote " + out + ": " + written);
        w.println("next: verdict analyze " + o.spec() + " --out " + out.resolve("readout"));
        w.flush();
        return 0;
    }

    static String readText(Path p) {
        try {
            return java.nio.file.Files.readString(p);
        } catch (java.io.IOException e) {
            throw InputException.spec("cannot read scenario file " + p + ": " + e.getMessage());
        }
    }

    static Scenario configure(Scenario sc, Double hours, Long seed) {
        if (hours != null) {
            if (!(hours > 0 && hours <= 24 * 366)) {
                throw InputException.spec("option --hours: got " + hours + "; give a duration in (0, 8784] hours");
            }
            sc = sc.withHours(hours);
        }
        if (seed != null) {
            sc = sc.withSeed(seed);
        }
        return sc;
    }

    /** The design from the options, defaulting to the scenario's. */
    static SimDesign design(Scenario sc, String name, Double share, Double block, Double washout) {
        SimDesign base = sc.design();
        double p = share != null ? share : base.treatedShare();
        if (!(p >= 0 && p <= 1)) {
            throw InputException.spec("option --share: got " + p + "; give a treated share in [0, 1]");
        }
        double b = block != null ? block : base instanceof SimDesign.Switchback sb ? sb.blockMinutes() : 10;
        double wo = washout != null ? washout : base instanceof SimDesign.Switchback sb ? sb.washoutMinutes() : 2;
        if (!(b > 0) || !(wo >= 0) || wo >= b) {
            throw InputException.spec("options --block-minutes/--washout-minutes: got " + b + "/" + wo
                    + "; the washout must be shorter than the block");
        }
        String n = name != null ? name : base.name();
        SimDesign d;
        try {
            d = SimDesign.parse(n, p, b, wo);
        } catch (IllegalArgumentException e) {
            throw InputException.spec("option --design: got '" + n + "'; use request, user, workspace, cluster, switchback or saturation");
        }
        if (d instanceof SimDesign.Switchback) {
            long blocks = (long) Math.ceil(sc.seconds() / (b * 60));
            if (blocks < 4) {
                throw InputException.spec("option --block-minutes: " + b + "-minute blocks give only " + blocks
                        + " block(s) in " + sc.hours() + " h; a switchback needs at least 4: use shorter blocks or more --hours");
            }
        }
        return d;
    }
}

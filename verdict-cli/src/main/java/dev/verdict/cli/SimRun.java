package dev.verdict.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verdict.InputException;
import dev.verdict.assign.SwitchbackSchedule;
import dev.verdict.sim.ArmSummary;
import dev.verdict.sim.Designs;
import dev.verdict.sim.IdealExperiment;
import dev.verdict.sim.LogWriter;
import dev.verdict.sim.Scenario;
import dev.verdict.sim.SimDesign;
import dev.verdict.sim.Simulation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One simulated experiment on disk: the request log, the assignment table, a spec that {@code analyze} can read
 * as it is, and (with the ideal experiment's worlds) truth.json. Shared by {@code simulate}, {@code demo} and
 * {@code lab}.
 */
final class SimRun {
    private SimRun() {
    }

    /** What a run wrote. */
    record Output(Path dir, Path log, Path spec, ArmSummary summary, Simulation.RunStats stats) { }

    static Output simulate(Scenario sc, SimDesign design, Path dir, LogWriter.Format format) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw InputException.data("cannot create the output folder " + dir + ": " + e.getMessage(), e);
        }
        String file = format == LogWriter.Format.PARQUET ? "requests.parquet" : "requests.csv";
        Path log = dir.resolve(file);
        ArmSummary summary = new ArmSummary();
        Simulation.RunStats stats;
        try (LogWriter writer = new LogWriter(log, format, sc)) {
            stats = new Simulation(sc, design, IdealExperiment.tee(writer, summary)).run();
            writeAssignment(sc, design, writer, dir.resolve("assignment.csv"));
        }
        Path spec = dir.resolve("spec.yaml");
        write(spec, spec(sc, design, file));
        return new Output(dir, log, spec, summary, stats);
    }

    private static void writeAssignment(Scenario sc, SimDesign design, LogWriter writer, Path file) {
        if (design instanceof SimDesign.Switchback sb) {
            SwitchbackSchedule s = Designs.switchbackSchedule(sc, sb);
            StringBuilder out = new StringBuilder("block,block_start,washout_end,arm\n");
            for (int b = 0; b < s.blocks(); b++) {
                out.append(b).append(',').append(Instant.ofEpochSecond(s.blockStart(b))).append(',')
                        .append(Instant.ofEpochSecond(s.blockStart(b) + s.washoutSeconds())).append(',')
                        .append(s.treated(b) ? sc.treatment().label() : sc.control().label()).append('\n');
            }
            write(file, out.toString());
        } else if (design instanceof SimDesign.Saturation sat) {
            var draw = Designs.saturation(sc, sat);
            StringBuilder out = new StringBuilder("cluster,saturation\n");
            draw.clustersByLevel().forEach((level, clusters) -> clusters.forEach(
                    c -> out.append(c).append(',').append(level).append('\n')));
            write(file, out.toString());
        } else if (!(design instanceof SimDesign.Pure)) {
            writer.writeUnitAssignment(file, design.unit());
        }
    }

    /** truth.json of {@code design}'s run against the ideal experiment's worlds, written to {@code file} unless it is null. */
    static ObjectNode truth(Scenario sc, SimDesign design, IdealExperiment.Worlds worlds, ArmSummary mixed, Path file) {
        ObjectNode truth = IdealExperiment.truth(sc, design, worlds, mixed);
        if (file != null) {
            try {
                Files.writeString(file, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                        .writeValueAsString(truth) + "\n", StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw InputException.data("cannot write " + file + ": " + e.getMessage(), e);
            }
        }
        return truth;
    }

    /** The shared state a policy difference touches, for the spec's {@code shared_state} key. */
    static List<String> sharedState(Scenario sc) {
        Scenario.PolicySpec c = sc.control();
        Scenario.PolicySpec t = sc.treatment();
        List<String> out = new ArrayList<>();
        if (!c.eviction().equals(t.eviction()) || c.evictionBonusSeconds() != t.evictionBonusSeconds()) {
            out.add("cache");
        }
        if (c.tokenBudgetScale() != t.tokenBudgetScale()) {
            out.add("batching");
        }
        if (!c.router().equals(t.router())) {
            out.add("routing");
        }
        if (!c.priorityTier().equals(t.priorityTier())) {
            out.add("queue");
        }
        if (c.rateLimitScale() != t.rateLimitScale()) {
            out.add("rate_limit");
        }
        return out;
    }

    /** A spec for {@code analyze} of a simulated run: the decision metric is TTFT, guarded by p99 latency and GPU-seconds per request. */
    static String spec(Scenario sc, SimDesign design, String dataFile) {
        String c = sc.control().label();
        String t = sc.treatment().label();
        double p = design.treatedShare();
        StringBuilder s = new StringBuilder();
        s.append("# Written by verdict simulate: ").append(sc.name()).append(", seed ").append(sc.seed())
                .append(", design ").append(design.name()).append(".\n");
        s.append("name: \"").append(sc.name()).append(" (").append(design.name()).append(")\"\n");
        s.append("decision: ship_broadly\n");
        if (design instanceof SimDesign.Request) {
            s.append("design: request_rct\n");
        } else if (design instanceof SimDesign.User) {
            s.append("design: user_rct\nunit: user_id\n");
        } else if (design instanceof SimDesign.Workspace) {
            s.append("design: user_rct\nunit: workspace_id\n");
        } else if (design instanceof SimDesign.Cluster) {
            // the simulator draws clusters within regions, so randomization inference must re-draw within them too
            s.append("design: cluster_rct\nstrata: region\n");
        } else if (design instanceof SimDesign.Saturation sat) {
            // a cluster RCT whose second stage randomizes requests within clusters at the declared levels
            List<String> levels = new ArrayList<>();
            List<String> shares = new ArrayList<>();
            sat.levels().forEach((level, share) -> {
                levels.add(num(level));
                shares.add(num(share));
            });
            s.append("design: cluster_rct\nunit: cluster\n");
            s.append("saturation: {levels: [").append(String.join(", ", levels)).append("], shares: [")
                    .append(String.join(", ", shares)).append("]}\n");
        } else if (design instanceof SimDesign.Switchback sb) {
            s.append("design: switchback\n");
            // the generator the simulator drew the schedule with, so that randomization inference re-draws it
            String schedule = Designs.switchbackSchedule(sc, sb).kind()
                    == dev.verdict.assign.SwitchbackSchedule.Kind.RANDOMIZED_WITHIN_DAY ? "within_day" : "complete";
            s.append(String.format(Locale.ROOT, "switchback: {block_minutes: %s, washout_minutes: %s, schedule: %s}%n",
                    num(sb.blockMinutes()), num(sb.washoutMinutes()), schedule));
        } else {
            throw new IllegalArgumentException("a pure world is not an experiment: " + design.name());
        }
        s.append("data: ").append(dataFile).append('\n');
        s.append("arms: {control: ").append(c).append(", treatment: ").append(t).append("}\n");
        s.append(String.format(Locale.ROOT, "allocation: {control: %s, treatment: %s}%n", num(1 - p), num(p)));
        s.append("start: ").append(sc.start()).append('\n');
        s.append("success: {metric: ttft_ms, kind: mean, direction: decrease, min_effect: 2%}\n");
        s.append("guardrails:\n");
        s.append("  - {metric: latency_ms, kind: p99, direction: decrease, max_harm: 5%}\n");
        s.append("  - {metric: gpu_seconds, kind: mean, direction: decrease, max_harm: 5%}\n");
        s.append("economics: {cost: cost_usd, value: value_usd, gpu: gpu_seconds, success: completed}\n");
        s.append("segments: [workload, tier]\n");
        List<String> shared = sharedState(sc);
        if (!shared.isEmpty()) {
            s.append("shared_state: [").append(String.join(", ", shared)).append("]\n");
        }
        s.append("rollback: {error_rate_above: 0.05, p99_latency_ms_above: 120000}\n");
        s.append("alpha: 0.05\n");
        return s.toString();
    }

    private static String num(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw InputException.data("cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}

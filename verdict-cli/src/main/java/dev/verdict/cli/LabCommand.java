package dev.verdict.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verdict.InputException;
import dev.verdict.check.CheckCategory;
import dev.verdict.check.CheckStatus;
import dev.verdict.cli.readout.LabHtml;
import dev.verdict.cli.readout.LabSummary;
import dev.verdict.cli.readout.Readout;
import dev.verdict.decide.Recommendation;
import dev.verdict.readout.Effect;
import dev.verdict.sim.IdealExperiment;
import dev.verdict.sim.LogWriter;
import dev.verdict.sim.Metric;
import dev.verdict.sim.Scenario;
import dev.verdict.sim.Scenarios;
import dev.verdict.sim.SimDesign;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * {@code verdict lab SCENARIO}: the design lab. For each of N replicates (seeds seed, seed+1, ...) it runs the ideal
 * experiment for the truth, then each design, analyzes each log with the same pipeline as {@code analyze}, and reports
 * per design the bias and RMSE of the decision metric's estimate against the true global effect, the coverage of the
 * nominal 95% intervals, the power (share of intervals excluding zero) and the share of readouts recommending each
 * action. Replicates run in parallel; results do not depend on the thread count.
 */
@Command(name = "lab", mixinStandardHelpOptions = true,
        description = "Design lab: replicate a scenario under several designs and report bias, RMSE, coverage, power and recommendations.")
final class LabCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SCENARIO", description = "Scenario file or bundled scenario name.")
    String scenario;

    @Option(names = "--designs", paramLabel = "LIST", split = ",", defaultValue = "request,user,switchback,cluster",
            description = "Designs to compare (default: ${DEFAULT-VALUE}).")
    List<String> designs;

    @Option(names = "--replicates", paramLabel = "N", defaultValue = "20", description = "Replicates (default: ${DEFAULT-VALUE}).")
    int replicates;



    @Option(names = "--threads", paramLabel = "N", description = "Parallel replicates (default: available cores).")
    Integer threads;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "out/lab", description = "Output folder for lab.json (default: ${DEFAULT-VALUE}).")
    Path out;


    @Mixin
    RunOptions run = new RunOptions();

    @Spec
    picocli.CommandLine.Model.CommandSpec commandSpec;

    private static final String METRIC = "ttft_ms mean (treatment - control)";

    /**
     * One design in one replicate.
     *
     * @param alternatives the intervals of the other inference methods the readout reports for the decision metric
     *                     (cluster RCT: CR2, wild cluster bootstrap, randomization inference; switchback:
     *                     Horvitz-Thompson, demand-adjusted), by method name; NaN ends when a method gave none
     * @param flagged      the readout's checks that warned or failed, by check name
     */
    record Result(double truth, double estimate, double low, double high, Recommendation recommendation,
                  java.util.SortedMap<String, double[]> alternatives,
                  java.util.SortedMap<String, Flag> flagged) {
        Result(double truth, double estimate, double low, double high, Recommendation recommendation,
               java.util.SortedMap<String, double[]> alternatives) {
            this(truth, estimate, low, high, recommendation, alternatives, new java.util.TreeMap<>());
        }

        /**
         * True when no validity check of the readout failed ({@link #VALIDITY}): the readouts whose estimate a user
         * would take as evidence. Guardrail, economic and rollback-trigger failures judge the change, not the estimate.
         */
        boolean validityChecksPass() {
            return flagged.values().stream().noneMatch(f -> f.status() == CheckStatus.FAIL
                    && VALIDITY.contains(f.category()));
        }
    }

    /** A check that warned or failed, with its framework category. */
    record Flag(CheckStatus status, CheckCategory category) {
    }

    /** The check categories whose failure says the estimate itself cannot be trusted. */
    static final java.util.Set<CheckCategory> VALIDITY = java.util.EnumSet.of(CheckCategory.DATA_QUALITY,
            CheckCategory.ASSIGNMENT_INTEGRITY, CheckCategory.IDENTIFICATION, CheckCategory.EXECUTION_FIDELITY,
            CheckCategory.SPILLOVER);

    @Override
    public Integer call() throws Exception {
        if (replicates < 1) {
            throw InputException.spec("option --replicates: got " + replicates + "; give at least 1");
        }
        Scenario base = SimulateCommand.configure(Scenarios.load(scenario), run.hours, null);
        long first = run.seed != null ? run.seed : base.seed();
        List<SimDesign> ds = new ArrayList<>();
        for (String d : designs) {
            ds.add(SimulateCommand.design(base, d, 0.5, null, null));
        }
        int n = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (n < 1) {
            throw InputException.spec("option --threads: got " + n + "; give at least 1");
        }
        Path scratch = Files.createTempDirectory("verdict-lab-");
        Progress progress = new Progress(replicates, System.console() != null, commandSpec.commandLine().getErr());
        ExecutorService pool = Executors.newFixedThreadPool(n);
        Result[][] results = new Result[replicates][ds.size()];
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int r = 0; r < replicates; r++) {
                int rep = r;
                futures.add(pool.submit(() -> {
                    Scenario sc = base.withSeed(first + rep);
                    IdealExperiment.Worlds worlds = IdealExperiment.worlds(sc);
                    double truth = worlds.allTreatment().mean(Metric.TTFT_MS) - worlds.allControl().mean(Metric.TTFT_MS);
                    for (int k = 0; k < ds.size(); k++) {
                        Path dir = scratch.resolve("r" + rep + "-" + ds.get(k).name());
                        SimRun.Output o = SimRun.simulate(sc, ds.get(k), dir, LogWriter.Format.PARQUET);
                        Readout readout = AnalyzeCommand.analyze(o.spec(), "duckdb", null);
                        Effect e = readout.analysis().success();
                        results[rep][k] = new Result(truth, e.estimate(), e.ciLow(), e.ciHigh(),
                                readout.decision().recommendation(), alternatives(readout, e), flagged(readout));
                        deleteTree(dir);
                    }
                    progress.step();
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
            progress.done();
            deleteTree(scratch);
        }
        PrintWriter w = commandSpec.commandLine().getOut();
        LabSummary summary = summarize(base, first, ds, results);
        print(summary, w);
        Files.createDirectories(out);
        Files.writeString(out.resolve("lab.json"), new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(json(summary)) + "\n", StandardCharsets.UTF_8);
        Files.writeString(out.resolve("readout.html"), LabHtml.write(summary, "verdict " + ToolVersion.get()),
                StandardCharsets.UTF_8);
        w.println("wrote " + out.resolve("lab.json") + " and " + out.resolve("readout.html"));
        w.flush();
        return 0;
    }

    /**
     * The lab's numbers from the replicates: per design the bias (with its Monte Carlo interval), RMSE, coverage and
     * power (with Wilson intervals), the recommendations, and the coverage of each other inference method, counted over
     * the replicates where that method gave a finite interval.
     */
    static LabSummary summarize(Scenario sc, long first, List<SimDesign> ds, Result[][] results) {
        int reps = results.length;
        double meanTruth = Stream.of(results).mapToDouble(r -> r[0].truth()).average().orElse(Double.NaN);
        double minTruth = Stream.of(results).mapToDouble(r -> r[0].truth()).min().orElse(Double.NaN);
        double maxTruth = Stream.of(results).mapToDouble(r -> r[0].truth()).max().orElse(Double.NaN);
        List<LabSummary.Design> designs = new ArrayList<>();
        for (int k = 0; k < ds.size(); k++) {
            double[] errors = new double[reps];
            double sq = 0;
            int covered = 0;
            int significant = 0;
            java.util.Map<Recommendation, Integer> recs = new java.util.EnumMap<>(Recommendation.class);
            java.util.SortedMap<String, int[]> fired = new java.util.TreeMap<>();
            int clean = 0;
            int cleanCovered = 0;
            for (int i = 0; i < reps; i++) {
                Result r = results[i][k];
                r.flagged().forEach((check, f) -> fired.computeIfAbsent(check, x -> new int[2])
                        [f.status() == CheckStatus.FAIL ? 0 : 1]++);
                if (r.validityChecksPass()) {
                    clean++;
                    cleanCovered += r.low() <= r.truth() && r.truth() <= r.high() ? 1 : 0;
                }
                double err = r.estimate() - r.truth();
                errors[i] = err;
                sq += err * err;
                covered += r.low() <= r.truth() && r.truth() <= r.high() ? 1 : 0;
                significant += r.low() > 0 || r.high() < 0 ? 1 : 0;
                recs.merge(r.recommendation(), 1, Integer::sum);
            }
            java.util.Map<String, Integer> shares = new java.util.LinkedHashMap<>();
            recs.forEach((rec, count) -> shares.put(rec.wireName(), count));
            java.util.SortedSet<String> methods = new java.util.TreeSet<>();
            for (Result[] rep : results) {
                methods.addAll(rep[k].alternatives().keySet());
            }
            java.util.SortedMap<String, LabSummary.Proportion> by = new java.util.TreeMap<>();
            for (String method : methods) {
                int with = 0;
                int in = 0;
                for (Result[] rep : results) {
                    double[] ci = rep[k].alternatives().get(method);
                    if (ci != null && !Double.isNaN(ci[0]) && !Double.isNaN(ci[1])) {
                        with++;
                        in += ci[0] <= rep[k].truth() && rep[k].truth() <= ci[1] ? 1 : 0;
                    }
                }
                by.put(method, LabSummary.Proportion.of(in, with));
            }
            java.util.SortedMap<String, LabSummary.CheckCounts> checks = new java.util.TreeMap<>();
            fired.forEach((check, c) -> checks.put(check, new LabSummary.CheckCounts(c[0], c[1])));
            designs.add(new LabSummary.Design(ds.get(k).name(), LabSummary.Bias.of(errors), Math.sqrt(sq / reps),
                    LabSummary.Proportion.of(covered, reps), LabSummary.Proportion.of(significant, reps), shares, by,
                    checks, LabSummary.Proportion.of(cleanCovered, clean)));
        }
        return new LabSummary(sc.name(), sc.control().label(), sc.treatment().label(), METRIC, first, reps, sc.hours(),
                meanTruth, minTruth, maxTruth, designs);
    }

    /** The lab's table on standard output. */
    static void print(LabSummary s, PrintWriter w) {
        int reps = s.replicates();
        w.printf(Locale.ROOT, "verdict lab: %s, %d replicates of %s h (seeds %d..%d); metric: TTFT mean effect%n",
                s.scenario(), reps, s.hours(), s.firstSeed(), s.firstSeed() + reps - 1);
        w.printf(Locale.ROOT, "true global effect (ideal experiment), mean over replicates: %+.2f ms%n%n", s.meanTrueEffect());
        w.printf(Locale.ROOT, "%-12s %9s %9s %9s %9s  %s%n", "design", "bias", "RMSE", "coverage", "power", "recommendations");
        for (LabSummary.Design d : s.designs()) {
            StringBuilder rs = new StringBuilder();
            d.recommendations().forEach((rec, count) ->
                    rs.append(String.format(Locale.ROOT, "%s %.0f%%  ", rec, 100.0 * count / reps)));
            w.printf(Locale.ROOT, "%-12s %+9.2f %9.2f %8.1f%% %8.0f%%  %s%n", d.name(), d.bias().mean(), d.rmse(),
                    100.0 * d.coverage().share(), 100.0 * d.power().share(), rs.toString().trim());
            d.coverageByInference().forEach((method, p) ->
                    w.printf(Locale.ROOT, "  %-24s coverage %5.1f%% (%d of %d replicates gave an interval)%n", method,
                            100.0 * p.share(), p.trials(), reps));
            if (!d.checks().isEmpty()) {
                StringBuilder cs = new StringBuilder();
                d.checks().forEach((check, c) -> cs.append(cs.length() == 0 ? "" : ", ").append(check)
                        .append(c.fail() > 0 ? String.format(Locale.ROOT, " fail %.0f%%", 100.0 * c.fail() / reps) : "")
                        .append(c.warn() > 0 ? String.format(Locale.ROOT, " warn %.0f%%", 100.0 * c.warn() / reps) : ""));
                w.printf(Locale.ROOT, "  checks that fired: %s%n", cs);
                LabSummary.Proportion p = d.coverageWhereValid();
                w.printf(Locale.ROOT, "  coverage where no validity check failed: %s (%d of %d replicates)%n",
                        p.trials() == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100.0 * p.share()), p.trials(), reps);
            }
        }
        w.println();
        w.println("bias and RMSE: estimate minus the same replicate's true global effect (ms); coverage: share of 95%");
        w.println("intervals containing it; power: share of intervals excluding zero. Indented rows: coverage of the");
        w.println("other inference methods the readout reports in its checks, on the same replicates; the checks each");
        w.println("design's readouts failed or warned on, and the coverage of the readouts that failed no validity check");
        w.println("(data quality, assignment integrity, identification, execution fidelity, spillover).");
    }

    /**
     * lab.json: the summary's numbers, with the Monte Carlo intervals that readout.html draws ({@code bias_mc_low},
     * {@code bias_mc_high}; {@code coverage_mc_low}, {@code coverage_mc_high}) so that other tools can redraw its charts.
     */
    static ObjectNode json(LabSummary s) {
        ObjectNode json = new ObjectMapper().createObjectNode();
        json.put("scenario", s.scenario());
        json.put("first_seed", s.firstSeed());
        json.put("replicates", s.replicates());
        json.put("hours", s.hours());
        json.put("metric", s.metric());
        json.put("mean_true_effect", s.meanTrueEffect());
        json.put("min_true_effect", s.minTrueEffect());
        json.put("max_true_effect", s.maxTrueEffect());
        json.put("control", s.control());
        json.put("treatment", s.treatment());
        json.put("nominal_coverage", LabSummary.NOMINAL_COVERAGE);
        json.put("monte_carlo_intervals", "95%: bias +/- qt(0.975, replicates - 1) * sd(estimate - truth) "
                + "/ sqrt(replicates); coverage: Wilson score interval");
        ArrayNode arr = json.putArray("designs");
        for (LabSummary.Design d : s.designs()) {
            ObjectNode dj = arr.addObject();
            dj.put("design", d.name());
            dj.put("bias", d.bias().mean());
            dj.put("bias_mc_se", d.bias().mcSe());
            dj.put("bias_mc_low", d.bias().mcLow());
            dj.put("bias_mc_high", d.bias().mcHigh());
            dj.put("rmse", d.rmse());
            dj.put("coverage", d.coverage().share());
            dj.put("covered", d.coverage().hits());
            dj.put("coverage_mc_low", d.coverage().wilsonLow());
            dj.put("coverage_mc_high", d.coverage().wilsonHigh());
            dj.put("power", d.power().share());
            ObjectNode rj = dj.putObject("recommendations");
            d.recommendations().forEach((rec, count) -> rj.put(rec, (double) count / s.replicates()));
            ObjectNode cj = dj.putObject("checks");
            d.checks().forEach((check, c) -> {
                ObjectNode x = cj.putObject(check);
                x.put("failed", c.fail());
                x.put("warned", c.warn());
                x.put("fail", (double) c.fail() / s.replicates());
                x.put("warn", (double) c.warn() / s.replicates());
            });
            LabSummary.Proportion clean = d.coverageWhereValid();
            ObjectNode cw = dj.putObject("coverage_where_validity_checks_pass");
            cw.put("replicates", clean.trials());
            cw.put("coverage", clean.share());
            cw.put("covered", clean.hits());
            cw.put("coverage_mc_low", clean.wilsonLow());
            cw.put("coverage_mc_high", clean.wilsonHigh());
            ObjectNode by = dj.putObject("coverage_by_inference");
            d.coverageByInference().forEach((method, p) -> {
                ObjectNode mj = by.putObject(method);
                mj.put("replicates_with_interval", p.trials());
                mj.put("coverage", p.share());
                mj.put("covered", p.hits());
                mj.put("coverage_mc_low", p.wilsonLow());
                mj.put("coverage_mc_high", p.wilsonHigh());
            });
        }
        return json;
    }

    /**
     * The decision metric's intervals from the other inference methods a readout reports in its checks: for a cluster
     * RCT with few clusters the {@code small_sample_inference} check's CR2 (Satterthwaite t), wild cluster bootstrap
     * and randomization-inference intervals; for a switchback the {@code switchback_inference} check's
     * Horvitz-Thompson and demand-adjusted intervals.
     */
    static java.util.SortedMap<String, double[]> alternatives(Readout readout, Effect success) {
        java.util.SortedMap<String, double[]> out = new java.util.TreeMap<>();
        for (dev.verdict.check.CheckResult c : readout.analysis().checks()) {
            java.util.Map<String, Object> ev = c.evidence();
            if (c.name().equals("small_sample_inference") && ev.get("metrics") instanceof List<?> rows) {
                rows.stream().filter(r -> r instanceof java.util.Map<?, ?> m && success.metric().equals(m.get("metric")))
                        .findFirst().map(r -> (java.util.Map<?, ?>) r).ifPresent(m -> {
                            double se = num(m.get("cr2_se"));
                            double df = num(m.get("cr2_df"));
                            if (Double.isFinite(se) && df > 0) {
                                double t = org.apache.commons.statistics.distribution.TDistribution.of(df)
                                        .inverseSurvivalProbability(0.025);
                                out.put("cr2_satterthwaite", new double[] {success.estimate() - t * se,
                                        success.estimate() + t * se});
                            }
                            if (m.containsKey("wcr_ci_low")) {
                                out.put("wild_cluster_bootstrap", new double[] {num(m.get("wcr_ci_low")),
                                        num(m.get("wcr_ci_high"))});
                            }
                            if (m.containsKey("ri_ci_low")) {
                                out.put("randomization_inference", new double[] {num(m.get("ri_ci_low")),
                                        num(m.get("ri_ci_high"))});
                            }
                        });
            }
            if (c.name().equals("switchback_inference")) {
                if (ev.get("horvitz_thompson") instanceof java.util.Map<?, ?> ht && ht.get("ci_low") != null) {
                    out.put("horvitz_thompson", new double[] {num(ht.get("ci_low")), num(ht.get("ci_high"))});
                }
                if (ev.get("demand_adjusted") instanceof java.util.Map<?, ?> ad && ad.get("ci_low") != null) {
                    out.put("demand_adjusted", new double[] {num(ad.get("ci_low")), num(ad.get("ci_high"))});
                }
            }
        }
        return out;
    }

    /** The readout's checks that warned or failed, by name. */
    static java.util.SortedMap<String, Flag> flagged(Readout readout) {
        java.util.SortedMap<String, Flag> out = new java.util.TreeMap<>();
        for (dev.verdict.check.CheckResult c : readout.analysis().checks()) {
            if (c.status() == CheckStatus.FAIL || c.status() == CheckStatus.WARN) {
                out.merge(c.name(), new Flag(c.status(), c.category()),
                        (a, b) -> a.status() == CheckStatus.FAIL ? a : b);
            }
        }
        return out;
    }

    private static double num(Object o) {
        return o instanceof Number x ? x.doubleValue() : Double.NaN;
    }

    static void deleteTree(Path p) {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // scratch space: best effort
        }
    }

    /** A one-line progress bar on standard error, only on a terminal. */
    static final class Progress {
        private final int total;
        private final boolean on;
        private final PrintWriter err;
        private final AtomicInteger done = new AtomicInteger();

        Progress(int total, boolean on, PrintWriter err) {
            this.total = total;
            this.on = on;
            this.err = err;
            draw(0);
        }

        void step() {
            draw(done.incrementAndGet());
        }

        private synchronized void draw(int k) {
            if (!on) {
                return;
            }
            int width = 30;
            int filled = total == 0 ? width : k * width / total;
            err.print("\r[" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + k + "/" + total + " replicates");
            err.flush();
        }

        void done() {
            if (on) {
                err.println();
                err.flush();
            }
        }
    }
}

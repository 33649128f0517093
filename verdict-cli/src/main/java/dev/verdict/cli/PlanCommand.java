package dev.verdict.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verdict.InputException;
import dev.verdict.cli.spec.SpecParser;
import dev.verdict.plan.History;
import dev.verdict.plan.Planner;
import dev.verdict.plan.VarianceComponents;
import dev.verdict.reduce.Engine;
import dev.verdict.reduce.EngineProvider;
import dev.verdict.reduce.LogSchema;
import dev.verdict.reduce.LogSource;
import dev.verdict.reduce.Panel;
import dev.verdict.spec.CanonicalColumns;
import dev.verdict.spec.ExperimentSpec;
import dev.verdict.spec.MetricKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code verdict plan SPEC}: for each randomized design (request, user, cluster RCT, switchback), the minimum
 * detectable effect after {@code --days} and the days needed for the spec's {@code success.min_effect}, from history
 * logs (reduced on the engine to unit x hour panels) and/or stated variances; recommends the design with the smallest
 * MDE among those valid for the change (shared state excludes request and user randomization) and says why.
 */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"Plan an experiment: MDE and days needed for each design (request_rct, user_rct, cluster_rct, "
                + "switchback) from history logs or stated variances, and the recommended design with its reason.",
                "Stated inputs (--variance KEY=VALUE, repeatable or comma separated) override history: sd, mean, "
                        + "requests_per_day, users, icc_user, clusters, icc_cluster, block_sd, block_rho."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:planned", "2:invalid spec or option", "3:history that cannot be read", "1:internal error (a bug)"})
final class PlanCommand implements java.util.concurrent.Callable<Integer> {
    static final List<String> VARIANCE_KEYS = List.of("sd", "mean", "requests_per_day", "users", "icc_user", "clusters",
            "icc_cluster", "block_sd", "block_rho");

    @Parameters(index = "0", paramLabel = "SPEC", description = "The experiment spec (YAML).")
    Path specFile;

    @Option(names = "--history", paramLabel = "LOG", split = ",",
            description = "Pre-period request log(s), CSV or Parquet, file or glob (default: the spec's data, unless "
                    + "--variance gives every input).")
    List<String> history;

    @Option(names = "--variance", paramLabel = "KEY=VALUE", split = ",",
            description = "A stated input, overriding history; keys: sd, mean, requests_per_day, users, icc_user, "
                    + "clusters, icc_cluster, block_sd, block_rho.")
    Map<String, String> variance = new LinkedHashMap<>();

    @Option(names = "--days", paramLabel = "D", defaultValue = "14",
            description = "Horizon of the MDE, in days (default: ${DEFAULT-VALUE}).")
    double days;

    @Option(names = "--power", paramLabel = "P", defaultValue = "0.8", description = "Power (default: ${DEFAULT-VALUE}).")
    double power;

    @Option(names = "--block-minutes", paramLabel = "M",
            description = "Switchback block length (default: the spec's switchback.block_minutes, else 60).")
    Long blockMinutes;

    @Option(names = "--out", paramLabel = "DIR", description = "Also write DIR/plan.json.")
    Path out;

    @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "${env:VERDICT_ENGINE:-duckdb}",
            description = "Engine that reads the history: duckdb (default) or spark.")
    String engine;

    @Option(names = "--master", paramLabel = "URL", defaultValue = "${env:VERDICT_SPARK_MASTER}",
            description = "Spark master (ignored by duckdb).")
    String master;

    @Option(names = "--debug", description = "Print stack traces of errors.")
    boolean debug;

    @Spec
    picocli.CommandLine.Model.CommandSpec commandSpec;

    /** A planning input and where it came from. */
    record Input(double value, String source) { }

    @Override
    public Integer call() {
        if (!(days > 0 && days <= 3660)) {
            throw InputException.spec("option --days: got " + days + "; give a horizon in (0, 3660] days, e.g. 14");
        }
        if (!(power > 0.5 && power < 1)) {
            throw InputException.spec("option --power: got " + power + "; give a power in (0.5, 1), e.g. 0.8");
        }
        ExperimentSpec spec = SpecParser.parse(specFile);
        if (spec.success().kind() != MetricKind.MEAN && spec.success().kind() != MetricKind.PROPORTION) {
            throw InputException.spec(specFile + ": spec key 'success.kind': got " + spec.success().kind().wireName()
                    + "; verdict plan computes MDEs for mean and proportion metrics (plan on the mean of the metric, "
                    + "e.g. kind: mean)");
        }
        long block = blockMinutes != null ? blockMinutes
                : spec.switchback().map(s -> s.blockSeconds() / 60).orElse(60L);
        if (block <= 0 || block > 1440) {
            throw InputException.spec("option --block-minutes: got " + block + "; give minutes in (0, 1440], e.g. 60");
        }
        Map<String, Input> in = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : variance.entrySet()) {
            if (!VARIANCE_KEYS.contains(e.getKey())) {
                throw InputException.spec("option --variance: unknown key '" + e.getKey() + "'; keys are "
                        + String.join(", ", VARIANCE_KEYS));
            }
            double v;
            try {
                v = Double.parseDouble(e.getValue());
            } catch (NumberFormatException x) {
                v = Double.NaN;
            }
            boolean ok = Double.isFinite(v) && switch (e.getKey()) {
                case "icc_user", "icc_cluster" -> v >= 0 && v < 1;
                case "block_rho" -> v > -1 && v < 1;
                case "mean" -> true;
                default -> v > 0;
            };
            if (!ok) {
                throw InputException.spec("option --variance: " + e.getKey() + "=" + e.getValue() + " is out of range; "
                        + (e.getKey().startsWith("icc") ? "an ICC is in [0, 1)" : e.getKey().equals("block_rho")
                        ? "an autocorrelation is in (-1, 1)" : "give a positive number"));
            }
            in.put(e.getKey(), new Input(v, "stated"));
        }
        List<String> notes = new ArrayList<>();
        boolean allStated = VARIANCE_KEYS.stream().filter(k -> !k.equals("mean")).allMatch(in::containsKey);
        List<String> logs = history != null ? history : (variance.isEmpty() || !allStated ? spec.data() : List.of());
        String historyLabel = null;
        if (!logs.isEmpty()) {
            historyLabel = String.join(", ", logs);
            fromHistory(engine, master, spec, logs, block, in, notes);
        }
        double q = spec.allocation().treatment();
        double meanValue = value(in, "mean");
        double minEffect = spec.success().minEffect().map(t -> t.relative() && Double.isNaN(meanValue) ? Double.NaN
                : t.absolute(meanValue)).orElse(Double.NaN);
        if (spec.success().minEffect().isPresent() && Double.isNaN(minEffect)) {
            notes.add("min_effect is relative (" + spec.success().minEffect().get() + "): give the mean (history or "
                    + "--variance mean=...) to turn it into days needed");
        }
        Planner.Inputs inputs = new Planner.Inputs(meanValue, value(in, "sd"), value(in, "requests_per_day"),
                value(in, "users"), value(in, "icc_user"), value(in, "clusters"), value(in, "icc_cluster"), block,
                value(in, "block_sd"), value(in, "block_rho"));
        List<String> shared = spec.sharedState().stream().map(s -> s.name().toLowerCase(Locale.ROOT)).toList();
        Planner.Plan plan = Planner.plan(inputs, spec.alpha(), power, q, days, minEffect, shared,
                spec.decision().name().toLowerCase(Locale.ROOT));

        String text = render(spec, plan, in, historyLabel, minEffect, q, notes);
        PrintWriter w = commandSpec.commandLine().getOut();
        w.print(text);
        if (out != null) {
            Path file = out.resolve("plan.json");
            AssignCommand.write(file, json(spec, plan, in, historyLabel, minEffect, q, notes));
            w.println("wrote " + file);
        }
        w.flush();
        return 0;
    }

    private static double value(Map<String, Input> in, String key) {
        Input i = in.get(key);
        return i == null ? Double.NaN : i.value();
    }

    /** Reduces the history to two panels (cluster x hour, user x week) and fills the inputs not stated. */
    private static void fromHistory(String engineName, String master, ExperimentSpec spec, List<String> logs,
                                    long blockMinutes, Map<String, Input> in, List<String> notes) {
        LogSource.Format format = switch (spec.format()) {
            case CSV -> LogSource.Format.CSV;
            case PARQUET -> LogSource.Format.PARQUET;
            case TABLE -> LogSource.Format.TABLE;
            case AUTO -> LogSource.inferFormat(logs.get(0));
        };
        String metric = spec.column(spec.success().metric());
        String ts = spec.column(CanonicalColumns.TS);
        String cluster = spec.column(CanonicalColumns.CLUSTER);
        String user = spec.column(CanonicalColumns.USER_ID);
        try (Engine e = EngineProvider.open(engineName, master, "option '--engine'")) {
            LogSource declared = new LogSource(logs, format);
            LogSource source = new LogSource(e.files(declared), format);
            LogSchema schema = e.describe(source);
            for (String c : List.of(metric, ts)) {
                if (!schema.has(c)) {
                    throw InputException.data("column '" + c + "' is not in the history log " + String.join(", ", logs)
                            + "; the log has " + String.join(", ", schema.columns().keySet()) + "; map it in spec key "
                            + "'columns'");
                }
            }
            boolean hasCluster = schema.has(cluster);
            // without a cluster column, any coarse column keeps the hourly panel small (the time column is the last resort)
            String panelUnit = hasCluster ? cluster : java.util.stream.Stream.of(CanonicalColumns.REGION,
                    CanonicalColumns.ARM).map(spec::column).filter(schema::has).findFirst().orElse(ts);
            Panel hourly = e.panel(new Panel.Request(source, panelUnit, ts, Panel.Period.HOUR, List.of(metric)));
            if (hourly.rows().isEmpty()) {
                throw InputException.data("the history log " + String.join(", ", logs) + " has no row with both '" + ts
                        + "' and '" + metric + "'");
            }
            Map<String, dev.verdict.stats.Moments> clusters = History.perUnit(hourly);
            VarianceComponents all = VarianceComponents.of(List.copyOf(clusters.values()));
            double span = History.days(hourly, Panel.Period.HOUR);
            in.putIfAbsent("mean", new Input(all.mean(), "history"));
            in.putIfAbsent("sd", new Input(all.sd(), "history"));
            in.putIfAbsent("requests_per_day", new Input(all.n() / span, "history"));
            if (hasCluster) {
                in.putIfAbsent("clusters", new Input(all.groups(), "history"));
                if (!Double.isNaN(all.icc())) {
                    in.putIfAbsent("icc_cluster", new Input(all.icc(), "history"));
                }
            } else {
                notes.add("no column '" + cluster + "' in the history: give --variance clusters=K,icc_cluster=R");
            }
            int hoursPerBlock = (int) Math.max(1, Math.round(blockMinutes / 60.0));
            if (blockMinutes % 60 != 0) {
                notes.add("block SD and autocorrelation estimated from " + hoursPerBlock + "-hour means (the history is "
                        + "reduced by the hour); shorter blocks have noisier means: state block_sd for " + blockMinutes
                        + "-minute blocks to be exact");
            }
            double[] series = History.blockSeries(hourly, hoursPerBlock);
            if (!Double.isNaN(series[0])) {
                in.putIfAbsent("block_sd", new Input(series[0], "history"));
                in.putIfAbsent("block_rho", new Input(series[1], "history"));
            } else {
                notes.add("the history has fewer than 3 blocks: give --variance block_sd=...,block_rho=...");
            }
            if (schema.has(user)) {
                Panel users = e.panel(new Panel.Request(source, user, ts, Panel.Period.WEEK, List.of(metric)));
                VarianceComponents u = VarianceComponents.of(List.copyOf(History.perUnit(users).values()));
                in.putIfAbsent("users", new Input(u.groups(), "history"));
                if (Double.isNaN(u.icc())) {
                    notes.add("icc_user cannot be estimated from the history (no user with 2 or more requests): give "
                            + "--variance icc_user=R");
                } else {
                    in.putIfAbsent("icc_user", new Input(u.icc(), "history"));
                }
            } else {
                notes.add("no column '" + user + "' in the history: give --variance users=N,icc_user=R");
            }
            notes.add(String.format(Locale.ROOT, "history: %d requests over %.2f days (%d rows dropped for a missing "
                    + "value); users and clusters are those seen in the history, assumed the same over the horizon",
                    all.n(), span, hourly.dropped()));
        }
    }

    private String render(ExperimentSpec spec, Planner.Plan plan, Map<String, Input> in, String historyLabel,
                          double minEffect, double q, List<String> notes) {
        StringBuilder b = new StringBuilder();
        b.append("verdict plan: ").append(spec.name()).append('\n');
        b.append(String.format(Locale.ROOT, "metric %s (%s), alpha %s, power %s, treated share %s, horizon %s days, "
                        + "min effect %s%n", spec.success().label(), spec.success().kind().wireName(), spec.alpha(), power, q,
                Planner.fmt(days), spec.success().minEffect().map(t -> t + (t.relative() && !Double.isNaN(minEffect)
                        ? " = " + Planner.fmt(minEffect) : "")).orElse("not declared")));
        b.append("shared state: ").append(spec.sharedState().isEmpty() ? "none declared"
                : String.join(", ", spec.sharedState().stream().map(s -> s.name().toLowerCase(Locale.ROOT)).toList()))
                .append("; decision ").append(spec.decision().name().toLowerCase(Locale.ROOT)).append('\n');
        b.append("inputs").append(historyLabel == null ? "" : " (history " + historyLabel + ")").append(":");
        in.forEach((k, v) -> b.append(' ').append(k).append(' ').append(Planner.fmt(v.value()))
                .append(v.source().equals("stated") ? " (stated)" : "").append(','));
        b.setLength(b.length() - 1);
        b.append('\n').append('\n');
        b.append("| design | unit | units | MDE | design effect | days for min effect | valid for this change | note |\n");
        b.append("|---|---|---:|---:|---:|---:|---|---|\n");
        for (Planner.DesignPlan d : plan.designs()) {
            b.append("| ").append(d.design()).append(" | ").append(d.unit()).append(" | ").append(Planner.fmt(Math.rint(d.units())))
                    .append(" | ").append(Planner.fmt(d.mde())).append(" | ").append(Planner.fmt(d.designEffect()))
                    .append(" | ").append(Planner.fmt(d.daysNeeded())).append(" | ").append(d.validForChange() ? "yes" : "no")
                    .append(" | ").append(d.note()).append(" |\n");
        }
        b.append('\n').append("recommendation: ").append(plan.recommended().orElse("none")).append('\n');
        b.append("why: ").append(plan.reason()).append('\n');
        for (String n : notes) {
            b.append("note: ").append(n).append('\n');
        }
        return b.toString();
    }

    private String json(ExperimentSpec spec, Planner.Plan plan, Map<String, Input> in, String historyLabel,
                        double minEffect, double q, List<String> notes) {
        ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = m.createObjectNode();
        root.put("name", spec.name());
        root.put("metric", spec.success().label());
        root.put("alpha", spec.alpha());
        root.put("power", power);
        root.put("treated_share", q);
        root.put("days", days);
        putNumber(root, "min_effect", minEffect);
        ArrayNode ss = root.putArray("shared_state");
        spec.sharedState().forEach(s -> ss.add(s.name().toLowerCase(Locale.ROOT)));
        if (historyLabel != null) {
            root.put("history", historyLabel);
        }
        ObjectNode inputs = root.putObject("inputs");
        in.forEach((k, v) -> {
            ObjectNode o = inputs.putObject(k);
            putNumber(o, "value", v.value());
            o.put("source", v.source());
        });
        ArrayNode designs = root.putArray("designs");
        for (Planner.DesignPlan d : plan.designs()) {
            ObjectNode o = designs.addObject();
            o.put("design", d.design());
            o.put("unit", d.unit());
            putNumber(o, "units", d.units());
            putNumber(o, "mde", d.mde());
            putNumber(o, "design_effect", d.designEffect());
            putNumber(o, "days_needed", d.daysNeeded());
            o.put("valid", d.validForChange());
            o.put("note", d.note());
        }
        if (plan.recommended().isPresent()) {
            root.put("recommended", plan.recommended().get());
        } else {
            root.putNull("recommended");
        }
        root.put("reason", plan.reason());
        ArrayNode n = root.putArray("notes");
        notes.forEach(n::add);
        try {
            return m.writeValueAsString(root) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A number, or null for NaN, or the string "never" for +Infinity (unreachable). */
    private static void putNumber(ObjectNode o, String key, double v) {
        if (Double.isNaN(v)) {
            o.putNull(key);
        } else if (Double.isInfinite(v)) {
            o.put(key, "never");
        } else {
            o.put(key, v);
        }
    }
}

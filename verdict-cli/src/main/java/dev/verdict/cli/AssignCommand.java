package dev.verdict.cli;

import dev.verdict.InputException;
import dev.verdict.assign.BalanceCriterion;
import dev.verdict.assign.BalanceTable;
import dev.verdict.assign.ClusterDraw;
import dev.verdict.assign.HashBucketing;
import dev.verdict.assign.Layer;
import dev.verdict.assign.Rerandomized;
import dev.verdict.assign.SaturationDesign;
import dev.verdict.assign.SwitchbackSchedule;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/**
 * {@code verdict assign}: the assignment primitives of {@code dev.verdict.assign} on the command line: hash bucketing
 * of ids ({@code hash}), stratified (re-randomized) cluster draws ({@code clusters}), saturation designs
 * ({@code saturation}) and switchback schedules ({@code switchback}). Every output is a CSV reproducible from its
 * options; see docs/assignment.md.
 */
@Command(name = "assign", mixinStandardHelpOptions = true,
        description = "Assign units to arms: hash bucketing of ids, stratified cluster draws with optional "
                + "re-randomization on covariate balance, saturation designs, switchback schedules.",
        subcommands = {AssignCommand.Hash.class, AssignCommand.Clusters.class, AssignCommand.Saturation.class,
                AssignCommand.Switchback.class},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:assigned", "2:invalid option (one line names it)", "3:unreadable or invalid input file, "
                + "or an output that cannot be written", "1:internal error (a bug)"})
final class AssignCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec commandSpec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(commandSpec.commandLine(),
                "Missing subcommand: hash, clusters, saturation or switchback");
    }

    /** Options shared by the subcommands. */
    static final class Common {
        @Option(names = "--out", paramLabel = "FILE|DIR", description = "Write here instead of standard output "
                + "(hash, switchback: a CSV file; clusters, saturation: a folder).")
        Path out;

        @Option(names = "--debug", description = "Print stack traces of errors.")
        boolean debug;
    }

    /** {@code verdict assign hash}. */
    @Command(name = "hash", mixinStandardHelpOptions = true,
            description = {"Hash ids into arms: bucket = MurmurHash3_x64_128(UTF-8(salt:id)) first 64 bits mod 10000; "
                    + "treatments own the low buckets, control the top (docs/assignment.md). Writes id,bucket,arm "
                    + "(with --layer: id,slot,bucket,arm; arm empty outside the experiment's slot range).",
                    "IDS is a file with one id per line (no header), or a CSV with a header and --column; - reads "
                            + "standard input."})
    static final class Hash implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "IDS", description = "Id file, or - for standard input.")
        String ids;

        @Option(names = "--salt", required = true, paramLabel = "S", description = "Salt: the experiment's name.")
        String salt;

        @Option(names = "--shares", required = true, paramLabel = "ARM=P,...",
                description = "Arms and shares, control first, e.g. control=0.9,treatment=0.1.")
        String shares;

        @Option(names = "--column", paramLabel = "COL", description = "Read the ids from this column of a CSV with a header.")
        String column;

        @Option(names = "--layer", paramLabel = "L", description = "Layer salt: the experiment (--salt) only "
                + "takes units whose slot (bucket under L) is in --range.")
        String layer;

        @Option(names = "--range", paramLabel = "FROM-TO", description = "The experiment's slot range [FROM, TO) in its "
                + "layer, e.g. 0-5000 (with --layer).")
        String range;

        @Option(names = "--hash-version", paramLabel = "V", defaultValue = "1",
                description = "Hash version (only ${DEFAULT-VALUE} exists).")
        int version;

        @picocli.CommandLine.Mixin
        Common common = new Common();

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            Map<String, Double> arms = shares(shares, "--shares");
            double[] p = arms.values().stream().mapToDouble(Double::doubleValue).toArray();
            List<String> names = new ArrayList<>(arms.keySet());
            HashBucketing h = option("--salt/--hash-version", () -> new HashBucketing(salt, version));
            option("--shares", () -> HashBucketing.treatmentBounds(p));
            if ((layer == null) != (range == null)) {
                throw InputException.spec("options --layer and --range go together: give both (e.g. --layer cache-layer"
                        + " --range 0-5000) or neither");
            }
            Layer l = null;
            if (layer != null) {
                int[] fromTo = range(range);
                l = option("--layer/--range", () -> new Layer(layer).with(salt, fromTo[0], fromTo[1]));
            }
            List<String> idList = ids(ids, column);
            StringBuilder out = new StringBuilder(l == null ? "id,bucket,arm\n" : "id,slot,bucket,arm\n");
            HashBucketing inner = l == null ? h : new HashBucketing(layer + "/" + salt, version);
            for (String id : idList) {
                int bucket = inner.bucket(id);
                if (l == null) {
                    out.append(Csv.row(id, bucket, names.get(h.arm(id, p)))).append('\n');
                } else {
                    int arm = l.arm(salt, id, p);
                    out.append(Csv.row(id, l.slot(id), bucket, arm < 0 ? "" : names.get(arm))).append('\n');
                }
            }
            emit(spec, common.out, out.toString());
            return 0;
        }

        static int[] range(String r) {
            String[] parts = r.split("-", -1);
            try {
                if (parts.length == 2) {
                    return new int[] {Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip())};
                }
            } catch (NumberFormatException e) {
                // fall through
            }
            throw InputException.spec("option --range: got '" + r + "'; give the slot range FROM-TO, e.g. 0-5000");
        }

        static List<String> ids(String file, String column) {
            List<String> out = new ArrayList<>();
            if (column == null) {
                out.addAll(Csv.lines(file).stream().map(String::strip).toList());
            } else {
                Csv.Table t = Csv.read(file);
                int c = t.column(column, "--column");
                for (List<String> row : t.rows()) {
                    out.add(row.get(c));
                }
            }
            if (out.isEmpty()) {
                throw InputException.data(file + " holds no ids; give one id per line");
            }
            return out;
        }
    }

    /** Options of the cluster-level subcommands. */
    static final class ClusterInput {
        @Parameters(index = "0", paramLabel = "CLUSTERS.csv", description = "One row per cluster, with a header.")
        String file;

        @Option(names = "--unit", defaultValue = "cluster", paramLabel = "COL",
                description = "Column of the cluster id (default: ${DEFAULT-VALUE}).")
        String unit;

        @Option(names = "--strata", split = ",", paramLabel = "COL,...",
                description = "Columns whose combination is the stratum, e.g. region,gpu (default: unstratified).")
        List<String> strata = new ArrayList<>();

        @Option(names = "--seed", required = true, paramLabel = "N", description = "Seed of the draw.")
        long seed;

        Csv.Table table;
        List<String> units;
        List<String> labels;

        void read() {
            table = Csv.read(file);
            int u = table.column(unit, "--unit");
            List<Integer> s = strata.stream().map(c -> table.column(c, "--strata")).toList();
            units = new ArrayList<>();
            labels = new ArrayList<>();
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (int i = 0; i < table.rows().size(); i++) {
                List<String> row = table.rows().get(i);
                String id = row.get(u);
                if (id.isEmpty()) {
                    throw InputException.data(file + ":" + (i + 2) + ": empty cluster id in column '" + unit + "'");
                }
                if (!seen.add(id)) {
                    throw InputException.data(file + ":" + (i + 2) + ": cluster '" + id + "' appears twice in column '"
                            + unit + "'; give one row per cluster");
                }
                units.add(id);
                labels.add(s.isEmpty() ? "all" : String.join("|", s.stream().map(row::get).toList()));
            }
            if (units.isEmpty()) {
                throw InputException.data(file + " has a header but no clusters");
            }
        }
    }

    /** {@code verdict assign clusters}. */
    @Command(name = "clusters", mixinStandardHelpOptions = true,
            description = {"Completely randomize clusters within strata; with --balance, report the balance table on "
                    + "pre-period covariates and, with --max-std-diff or --mahalanobis-quantile, re-randomize until it "
                    + "holds (Morgan and Rubin 2012).",
                    "Writes cluster,stratum,arm and, with --balance, the balance table (covariate, treated_mean, "
                            + "control_mean, pooled_sd, std_diff) as markdown; with --out DIR, assignment.csv and "
                            + "balance.csv."})
    static final class Clusters implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        ClusterInput in = new ClusterInput();

        @Option(names = "--share", defaultValue = "0.5", paramLabel = "P",
                description = "Treated share of clusters in (0, 1) (default: ${DEFAULT-VALUE}).")
        double share;

        @Option(names = "--balance", split = ",", paramLabel = "COL,...",
                description = "Numeric pre-period covariate columns to balance on, e.g. queue_depth,latency_p99.")
        List<String> balance = new ArrayList<>();

        @Option(names = "--max-std-diff", paramLabel = "D",
                description = "Re-randomize until every |standardized difference| <= D (e.g. 0.1).")
        Double maxStdDiff;

        @Option(names = "--mahalanobis-quantile", paramLabel = "Q",
                description = "Re-randomize until the Mahalanobis distance <= the chi-square(k) quantile Q (e.g. 0.1).")
        Double mahalanobis;

        @Option(names = "--max-draws", defaultValue = "10000", paramLabel = "N",
                description = "Draws tried before giving up (default: ${DEFAULT-VALUE}).")
        int maxDraws;

        @Option(names = "--arms", defaultValue = "control,treatment", paramLabel = "C,T",
                description = "Arm labels (default: ${DEFAULT-VALUE}).")
        String arms;

        @picocli.CommandLine.Mixin
        Common common = new Common();

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            String[] labels = armLabels(arms);
            if (!(share > 0 && share < 1)) {
                throw InputException.spec("option --share: got " + share + "; give a treated share in (0, 1), e.g. 0.5");
            }
            if (maxStdDiff != null && mahalanobis != null) {
                throw InputException.spec("options --max-std-diff and --mahalanobis-quantile: give one balance criterion");
            }
            BalanceCriterion criterion = null;
            if (maxStdDiff != null) {
                criterion = option("--max-std-diff", () -> BalanceCriterion.maxStdDiff(maxStdDiff));
            } else if (mahalanobis != null) {
                criterion = option("--mahalanobis-quantile", () -> BalanceCriterion.mahalanobisQuantile(mahalanobis));
            }
            if (criterion != null && balance.isEmpty()) {
                throw InputException.spec("option " + (maxStdDiff != null ? "--max-std-diff" : "--mahalanobis-quantile")
                        + ": a balance criterion needs covariates; name them with --balance, e.g. --balance queue_depth");
            }
            if (maxDraws < 1) {
                throw InputException.spec("option --max-draws: got " + maxDraws + "; give at least 1");
            }
            in.read();
            Map<String, double[]> x = covariates(in, balance);
            ClusterDraw draw;
            BalanceTable table = null;
            int tried = 1;
            if (criterion != null) {
                BalanceCriterion c = criterion;
                Rerandomized r = option("--max-std-diff/--max-draws", () -> ClusterDraw.rerandomized(in.units, in.labels,
                        share, in.seed, balance, x::get, c, maxDraws));
                draw = r.draw();
                table = r.balance();
                tried = r.drawsTried();
            } else {
                draw = option("--share", () -> ClusterDraw.draw(in.units, in.labels, share, in.seed));
                if (!balance.isEmpty()) {
                    ClusterDraw d = draw;
                    table = option("--balance", () -> BalanceTable.of(d, balance, x::get));
                }
            }
            StringBuilder csv = new StringBuilder("cluster,stratum,arm\n");
            for (int i = 0; i < in.units.size(); i++) {
                csv.append(Csv.row(in.units.get(i), in.labels.get(i), draw.treated(in.units.get(i)) ? labels[1] : labels[0]))
                        .append('\n');
            }
            StringBuilder md = new StringBuilder();
            md.append(String.format(Locale.ROOT, "%d clusters, %d treated (share %s), seed %d, draw seed %d, %d draw%s tried%s%n",
                    in.units.size(), draw.treatedUnits().size(), share, in.seed, draw.seed(), tried, tried == 1 ? "" : "s",
                    criterion == null ? "" : ", criterion " + criterion.describe()));
            md.append("\n| stratum | clusters | treated |\n|---|---:|---:|\n");
            draw.unitsPerStratum().forEach((s, n) -> md.append("| ").append(s).append(" | ").append(n).append(" | ")
                    .append(draw.treatedPerStratum().get(s)).append(" |\n"));
            String balanceCsv = null;
            if (table != null) {
                md.append("\n| covariate | treated mean | control mean | pooled SD | std diff |\n|---|---:|---:|---:|---:|\n");
                StringBuilder bc = new StringBuilder("covariate,treated_mean,control_mean,pooled_sd,std_diff\n");
                for (BalanceTable.Row r : table.rows()) {
                    md.append(String.format(Locale.ROOT, "| %s | %.6g | %.6g | %.6g | %+.4f |%n", r.covariate(),
                            r.treatedMean(), r.controlMean(), r.pooledSd(), r.stdDiff()));
                    bc.append(Csv.row(r.covariate(), r.treatedMean(), r.controlMean(), r.pooledSd(), r.stdDiff())).append('\n');
                }
                md.append(String.format(Locale.ROOT, "%nmax |std diff| %.4f; Mahalanobis distance %.4f (%d covariates)%n",
                        table.maxAbsStdDiff(), table.mahalanobis(), table.rows().size()));
                balanceCsv = bc.toString();
            }
            PrintWriter w = spec.commandLine().getOut();
            if (common.out != null) {
                write(common.out.resolve("assignment.csv"), csv.toString());
                if (balanceCsv != null) {
                    write(common.out.resolve("balance.csv"), balanceCsv);
                }
                w.print(md);
                w.println("wrote " + common.out.resolve("assignment.csv") + (balanceCsv != null ? ", "
                        + common.out.resolve("balance.csv") : ""));
            } else {
                w.print(csv);
                if (table != null) {
                    w.println();
                    w.print(md);
                }
            }
            w.flush();
            return 0;
        }

        static Map<String, double[]> covariates(ClusterInput in, List<String> names) {
            Map<String, double[]> x = new HashMap<>();
            if (names.isEmpty()) {
                return x;
            }
            List<Integer> cols = names.stream().map(c -> in.table.column(c, "--balance")).toList();
            for (int i = 0; i < in.units.size(); i++) {
                double[] v = new double[cols.size()];
                for (int j = 0; j < v.length; j++) {
                    String s = in.table.rows().get(i).get(cols.get(j));
                    try {
                        v[j] = Double.parseDouble(s);
                    } catch (NumberFormatException e) {
                        v[j] = Double.NaN;
                    }
                    if (!Double.isFinite(v[j])) {
                        throw InputException.data(in.file + ":" + (i + 2) + ": column '" + names.get(j) + "' (option "
                                + "--balance): the value '" + s + "' is not a finite number; balance covariates are numeric");
                    }
                }
                x.put(in.units.get(i), v);
            }
            return x;
        }
    }

    /** {@code verdict assign saturation}. */
    @Command(name = "saturation", mixinStandardHelpOptions = true,
            description = {"Randomized saturation design: clusters drawn within strata to saturation levels (the share "
                    + "of their units treated); units hashed within clusters at their cluster's saturation.",
                    "Writes cluster,stratum,saturation (with --out DIR: DIR/saturation.csv)."})
    static final class Saturation implements Callable<Integer> {
        @picocli.CommandLine.Mixin
        ClusterInput in = new ClusterInput();

        @Option(names = "--levels", required = true, paramLabel = "S=P,...",
                description = "Saturation to share of clusters, e.g. 0=0.4,0.5=0.3,1=0.3.")
        String levels;

        @Option(names = "--salt", required = true, paramLabel = "S",
                description = "Salt of the unit-level hash inside clusters (verdict assign hash --salt S --shares "
                        + "control=1-s,treatment=s gives a unit's arm in a cluster of saturation s).")
        String salt;

        @picocli.CommandLine.Mixin
        Common common = new Common();

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            Map<Double, Double> lv = new TreeMap<>();
            shares(levels, "--levels").forEach((k, v) -> {
                try {
                    lv.put(Double.parseDouble(k), v);
                } catch (NumberFormatException e) {
                    throw InputException.spec("option --levels: saturation '" + k + "' is not a number; e.g. 0=0.4,0.5=0.3,1=0.3");
                }
            });
            in.read();
            SaturationDesign d = option("--levels", () -> SaturationDesign.draw(in.units, in.labels, lv, in.seed, salt));
            StringBuilder csv = new StringBuilder("cluster,stratum,saturation\n");
            for (int i = 0; i < in.units.size(); i++) {
                csv.append(Csv.row(in.units.get(i), in.labels.get(i), d.saturation(in.units.get(i)))).append('\n');
            }
            if (common.out != null) {
                write(common.out.resolve("saturation.csv"), csv.toString());
                PrintWriter w = spec.commandLine().getOut();
                w.println(in.units.size() + " clusters: " + d.countsPerStratum());
                w.println("wrote " + common.out.resolve("saturation.csv"));
                w.flush();
            } else {
                emit(spec, null, csv.toString());
            }
            return 0;
        }
    }

    /** {@code verdict assign switchback}. */
    @Command(name = "switchback", mixinStandardHelpOptions = true,
            description = {"Draw a switchback schedule: blocks of --block-minutes from --start, the first "
                    + "--washout-minutes of each left out of the analysis; within_day treats the same number of blocks "
                    + "every UTC day and balances hours of the day (weekdays and weekends apart).",
                    "Writes region,block,start,washout_end,arm (region 'global' without --regions)."})
    static final class Switchback implements Callable<Integer> {
        @Option(names = "--start", required = true, paramLabel = "ISO",
                description = "First block start, e.g. 2026-11-02T00:00:00Z (a date means midnight UTC).")
        String start;

        @Option(names = "--block-minutes", required = true, paramLabel = "M", description = "Block length in minutes.")
        long blockMinutes;

        @Option(names = "--washout-minutes", defaultValue = "0", paramLabel = "M",
                description = "Washout at the start of each block (default: ${DEFAULT-VALUE}).")
        long washoutMinutes;

        @Option(names = "--blocks", required = true, paramLabel = "N", description = "Number of blocks.")
        int blocks;

        @Option(names = "--share", defaultValue = "0.5", paramLabel = "P",
                description = "Treated share of blocks (default: ${DEFAULT-VALUE}).")
        double share;

        @Option(names = "--seed", required = true, paramLabel = "N", description = "Seed of the schedule.")
        long seed;

        @Option(names = "--mode", defaultValue = "within_day", paramLabel = "MODE",
                description = "within_day (default), complete or bernoulli.")
        String mode;

        @Option(names = "--regions", split = ",", paramLabel = "R,...",
                description = "One independent schedule per region (seeded from --seed and the region).")
        List<String> regions;

        @Option(names = "--arms", defaultValue = "control,treatment", paramLabel = "C,T",
                description = "Arm labels (default: ${DEFAULT-VALUE}).")
        String arms;

        @picocli.CommandLine.Mixin
        Common common = new Common();

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            String[] labels = armLabels(arms);
            long origin = instant(start, "--start");
            if (blockMinutes <= 0) {
                throw InputException.spec("option --block-minutes: got " + blockMinutes + "; give a block length > 0, e.g. 60");
            }
            if (washoutMinutes < 0 || washoutMinutes >= blockMinutes) {
                throw InputException.spec("option --washout-minutes: got " + washoutMinutes + "; give minutes in [0, "
                        + blockMinutes + ") (shorter than a block)");
            }
            if (blocks < 1) {
                throw InputException.spec("option --blocks: got " + blocks + "; give at least 1 block");
            }
            long b = blockMinutes * 60;
            long w = washoutMinutes * 60;
            java.util.function.LongFunction<SwitchbackSchedule> make = switch (mode.toLowerCase(Locale.ROOT)) {
                case "within_day" -> s -> SwitchbackSchedule.randomizedWithinDay(origin, b, w, blocks, share, s);
                case "complete" -> s -> SwitchbackSchedule.complete(origin, b, w, blocks, share, s);
                case "bernoulli" -> s -> SwitchbackSchedule.bernoulli(origin, b, w, blocks, share, s);
                default -> throw InputException.spec("option --mode: got '" + mode + "'; use within_day, complete or bernoulli");
            };
            Map<String, SwitchbackSchedule> schedules = new LinkedHashMap<>();
            if (regions == null || regions.isEmpty()) {
                schedules.put("global", option("--block-minutes/--share/--start", () -> make.apply(seed)));
            } else {
                schedules.putAll(option("--regions/--block-minutes/--share/--start",
                        () -> SwitchbackSchedule.perRegion(regions, seed, make::apply)));
            }
            StringBuilder csv = new StringBuilder("region,block,start,washout_end,arm\n");
            schedules.forEach((region, s) -> {
                for (int i = 0; i < s.blocks(); i++) {
                    long t = s.blockStart(i);
                    csv.append(Csv.row(region, i, Instant.ofEpochSecond(t), Instant.ofEpochSecond(t + w),
                            s.treated(i) ? labels[1] : labels[0])).append('\n');
                }
            });
            emit(spec, common.out, csv.toString());
            return 0;
        }
    }

    // ---- helpers

    /** Runs a core call, turning its {@link IllegalArgumentException} into a one-line option error (exit 2). */
    static <T> T option(String option, java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (IllegalArgumentException e) {
            throw InputException.spec("option " + option + ": " + e.getMessage());
        }
    }

    /** {@code name=share,...} in order. */
    static Map<String, Double> shares(String text, String option) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (String part : text.split(",", -1)) {
            int eq = part.indexOf('=');
            String name = eq < 0 ? "" : part.substring(0, eq).strip();
            if (eq < 0 || name.isEmpty()) {
                throw InputException.spec("option " + option + ": got '" + text + "'; give NAME=SHARE pairs separated by "
                        + "commas, e.g. control=0.9,treatment=0.1");
            }
            double v;
            try {
                v = Double.parseDouble(part.substring(eq + 1).strip());
            } catch (NumberFormatException e) {
                throw InputException.spec("option " + option + ": share of '" + name + "' is '" + part.substring(eq + 1)
                        + "', not a number; e.g. control=0.9,treatment=0.1");
            }
            if (out.put(name, v) != null) {
                throw InputException.spec("option " + option + ": '" + name + "' is listed twice");
            }
        }
        if (out.size() < 2) {
            throw InputException.spec("option " + option + ": got '" + text + "'; give at least two entries, e.g. "
                    + "control=0.9,treatment=0.1");
        }
        return out;
    }

    static String[] armLabels(String arms) {
        String[] a = arms.split(",", -1);
        if (a.length != 2 || a[0].isBlank() || a[1].isBlank() || a[0].strip().equals(a[1].strip())) {
            throw InputException.spec("option --arms: got '" + arms + "'; give two distinct labels, control first, e.g. "
                    + "control,treatment");
        }
        return new String[] {a[0].strip(), a[1].strip()};
    }

    /** An ISO-8601 instant, offset date-time, local date-time (UTC) or date (midnight UTC), as an epoch second. */
    static long instant(String text, String option) {
        try {
            return Instant.parse(text).getEpochSecond();
        } catch (DateTimeParseException e) {
            // try the other forms
        }
        try {
            return OffsetDateTime.parse(text).toEpochSecond();
        } catch (DateTimeParseException e) {
            // try the other forms
        }
        try {
            return LocalDateTime.parse(text).toEpochSecond(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            // try the other forms
        }
        try {
            return LocalDate.parse(text).toEpochDay() * 86_400L;
        } catch (DateTimeParseException e) {
            throw InputException.spec("option " + option + ": got '" + text + "'; give an ISO-8601 time, e.g. "
                    + "2026-11-02T00:00:00Z");
        }
    }

    static void emit(picocli.CommandLine.Model.CommandSpec spec, Path out, String text) {
        if (out != null) {
            write(out, text);
        } else {
            PrintWriter w = spec.commandLine().getOut();
            w.print(text);
            w.flush();
        }
    }

    static void write(Path file, String text) {
        try {
            if (file.toAbsolutePath().getParent() != null) {
                Files.createDirectories(file.toAbsolutePath().getParent());
            }
            Files.writeString(file, text);
        } catch (IOException | java.nio.file.InvalidPathException e) {
            throw InputException.data("cannot write " + file + ": " + e.getMessage());
        }
    }
}

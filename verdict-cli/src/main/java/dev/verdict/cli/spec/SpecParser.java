package dev.verdict.cli.spec;

import dev.verdict.InputException;
import dev.verdict.reduce.LogSource;
import dev.verdict.spec.CanonicalColumns;
import dev.verdict.spec.Direction;
import dev.verdict.spec.Economics;
import dev.verdict.spec.ExperimentSpec;
import dev.verdict.spec.ExperimentSpec.Allocation;
import dev.verdict.spec.ExperimentSpec.Arms;
import dev.verdict.spec.ExperimentSpec.DataFormat;
import dev.verdict.spec.ExperimentSpec.DataQuality;
import dev.verdict.spec.ExperimentSpec.DecisionPattern;
import dev.verdict.spec.ExperimentSpec.Design;
import dev.verdict.spec.ExperimentSpec.LongRun;
import dev.verdict.spec.ExperimentSpec.SharedState;
import dev.verdict.spec.Guardrail;
import dev.verdict.spec.MetricKind;
import dev.verdict.spec.MetricSpec;
import dev.verdict.spec.Rollback;
import dev.verdict.spec.Threshold;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The experiment spec parser: reads {@code SPEC.yaml} into a validated {@link ExperimentSpec}.
 *
 * <p>The YAML is read with Jackson's YAML parser into a located tree ({@link YamlTree}), then every
 * key is checked by the hand-written rules documented in {@code docs/spec.md}, before any data is
 * read: the parser never opens the data files, it only resolves their paths against the spec
 * file's folder. The first rule that fails throws {@link InputException#spec} (exit code 2) with a
 * one-line message {@code FILE:LINE: spec key 'PATH': got VALUE; WHAT IS ALLOWED}; key paths use
 * dots for maps and 0-based {@code [i]} for lists ({@code guardrails[1].max_harm} is the second
 * guardrail).
 *
 * <p>Every column name in the spec must be a plain identifier ({@link Value#IDENTIFIER}), so spec
 * text can never become SQL code.
 */
public final class SpecParser {
    /** Seed used when the spec declares none: fixed, so the same inputs give the same readout. */
    public static final long DEFAULT_SEED = 20261204L;
    /** Significance level used when the spec declares none. */
    public static final double DEFAULT_ALPHA = 0.05;
    /** Largest allowed {@code alpha}: a two-sided test above 0.5 is not a test. */
    public static final double MAX_ALPHA = 0.5;
    /** Tolerance of the check that the allocation shares sum to 1. */
    public static final double ALLOCATION_TOLERANCE = 1e-9;
    /** The designs this version analyzes; the others are recognised and refused. */
    public static final Set<Design> SUPPORTED_DESIGNS = Set.of(Design.REQUEST_RCT, Design.USER_RCT,
            Design.CLUSTER_RCT, Design.SWITCHBACK, Design.RDD, Design.DID, Design.SYNTHETIC_CONTROL, Design.PROPENSITY);

    static final List<String> TOP_KEYS = List.of("name", "decision", "design", "data", "format", "columns", "unit",
            "arms", "allocation", "start", "success", "guardrails", "economics", "segments", "rollback",
            "contingency", "alpha", "shared_state", "data_quality", "long_run", "seed", "switchback", "strata",
            "saturation", "pre_period", "rerandomization", "did", "synthetic_control", "propensity", "rdd");
    static final List<String> ARM_KEYS = List.of("control", "treatment");
    static final List<String> SUCCESS_KEYS = List.of("metric", "kind", "direction", "min_effect", "denominator",
            "covariate");
    static final List<String> GUARDRAIL_KEYS = List.of("metric", "kind", "direction", "max_harm", "denominator",
            "covariate");
    static final List<String> ECONOMICS_KEYS = List.of("cost", "gpu", "value", "success", "min_net_gain");
    static final List<String> ROLLBACK_KEYS = List.of("error_rate_above", "p99_latency_ms_above",
            "cost_per_success_above", "fallback_rate_above");
    static final List<String> DATA_QUALITY_KEYS = List.of("max_missing_share", "max_unknown_arm_share");
    static final List<String> LONG_RUN_KEYS = List.of("metric", "observed");
    static final List<String> SWITCHBACK_KEYS = List.of("block_minutes", "washout_minutes", "origin", "by", "schedule",
            "carryover_order");

    /**
     * Every key the parser accepts, by location: {@code ""} is the top level, {@code "success"} the
     * keys inside {@code success}, {@code "guardrails[]"} the keys of each guardrail. The JSON Schema
     * {@code docs/spec.schema.json} is tested to declare exactly these.
     */
    public static final Map<String, List<String>> ALLOWED_KEYS = allowedKeys();
    /** Largest spec file read, in bytes: a spec is a small text file (a larger one is usually the data). */
    public static final long MAX_SPEC_BYTES = 1 << 20;

    private static final Map<String, String> TOP_HINTS = Map.of("cost", "economics", "metric", "success",
            "metrics", "success", "guardrail", "guardrails", "segment", "segments", "randomization_unit", "unit");
    private static final Map<String, String> COLUMN_HINTS = Map.of("time", "ts", "timestamp", "ts", "variant",
            "arm", "group", "arm", "latency", "latency_ms", "user", "user_id", "request", "request_id");
    private static final Map<String, String> SUCCESS_HINTS = Map.of("max_harm", "min_effect");
    private static final Map<String, String> GUARDRAIL_HINTS = Map.of("min_effect", "max_harm");
    private static final Pattern PERCENT = Pattern.compile("([-+]?(?:\\d+(?:\\.\\d+)?|\\.\\d+))\\s?%");
    private static final Pattern TABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*){0,2}");
    private static final Pattern URL = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://.*");
    private static final String THRESHOLD = "a non-negative number in the metric's own unit (e.g. 0.005)"
            + " or a percentage of the control value (e.g. \"5%\")";

    private final String label;
    private final Path folder;
    private final Map<String, String> remapped = new LinkedHashMap<>();

    private SpecParser(Path specFile) {
        this.label = SpecMessages.oneLine(specFile.toString());
        Path abs = specFile.toAbsolutePath().normalize();
        this.folder = abs.getParent() == null ? abs.getRoot() : abs.getParent();
    }

    /**
     * Reads and validates a spec file.
     *
     * @param specFile the YAML file; relative data paths resolve against its folder
     * @return the validated spec
     * @throws InputException (exit 2) with a one-line message for a missing, unreadable or invalid spec
     */
    public static ExperimentSpec parse(Path specFile) {
        String label = SpecMessages.oneLine(specFile.toString());
        Path abs = specFile.toAbsolutePath().normalize();
        if (Files.isDirectory(abs)) {
            throw InputException.spec(label + ": is a folder, not a spec file; pass the YAML file, e.g. "
                    + SpecMessages.oneLine(abs.resolve("spec.yaml").toString()));
        }
        byte[] bytes;
        try {
            long size = Files.size(abs);
            if (size > MAX_SPEC_BYTES) {
                throw InputException.spec(label + ": is " + size + " bytes, too large for a spec (at most "
                        + MAX_SPEC_BYTES + "); pass the YAML spec, which names the data under 'data'");
            }
            bytes = Files.readAllBytes(abs);
        } catch (NoSuchFileException e) {
            throw InputException.spec(label + ": spec file not found (looked for "
                    + SpecMessages.oneLine(abs.toString()) + ")");
        } catch (IOException | SecurityException e) {
            throw InputException.spec(label + ": cannot read the spec file: " + SpecMessages.oneLine(e.toString()));
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw InputException.spec(label + ": the spec file is not UTF-8 text; save it as UTF-8"
                    + " (if this is the data, pass the YAML spec that names it under 'data')");
        }
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        return parse(text, specFile);
    }

    /**
     * Validates spec text as if read from {@code specFile} (which is not opened: it names the spec in
     * messages and anchors relative data paths).
     *
     * @param yaml     the spec's YAML text
     * @param specFile where the spec notionally lives
     * @return the validated spec
     * @throws InputException (exit 2) with a one-line message for an invalid spec
     */
    public static ExperimentSpec parse(String yaml, Path specFile) {
        return new SpecParser(specFile).read(yaml, specFile.toAbsolutePath().normalize());
    }

    private ExperimentSpec read(String yaml, Path absSpecFile) {
        YamlTree.Node root = YamlTree.read(yaml, label).orElseThrow(() -> InputException.spec(label
                + ": the spec file is empty; start from the example in docs/spec.md"));
        if (!(root instanceof YamlTree.MapNode)) {
            throw InputException.spec(label + ":" + root.line() + ": got " + SpecMessages.render(root)
                    + "; a spec is a YAML map of keys (name: ..., design: ..., data: ...)");
        }
        Section top = new Value(label, "", root).section(TOP_KEYS, TOP_HINTS, "name: my experiment");

        String name = top.require("name", "give the experiment a name, e.g. name: faster tokenizer path")
                .singleLine("the experiment's name", 200);
        DecisionPattern decision = top.get("decision")
                .map(v -> v.oneOf(DecisionPattern.class, EnumSet.allOf(DecisionPattern.class)))
                .orElse(DecisionPattern.SHIP_BROADLY);
        Design design = design(top);
        DataFormat format = top.get("format")
                .map(v -> v.oneOf(DataFormat.class, EnumSet.allOf(DataFormat.class))).orElse(DataFormat.AUTO);
        List<String> data = data(top, format);
        Map<String, String> columns = columns(top);
        String unit = unit(top, design);
        Arms arms = arms(top);
        Allocation allocation = allocation(top);
        Optional<String> start = top.get("start").map(SpecParser::start);
        MetricSpec success = metric(top.require("success",
                "declare the decision metric, e.g. success: {metric: completed, kind: proportion}")
                .section(SUCCESS_KEYS, SUCCESS_HINTS, "{metric: completed, kind: proportion}"), false);
        List<Guardrail> guardrails = guardrails(top);
        Optional<Economics> economics = top.get("economics").map(this::economics);
        List<String> segments = segments(top, unit);
        Rollback rollback = top.get("rollback").map(SpecParser::rollback).orElse(Rollback.NONE);
        Optional<String> contingency = top.get("contingency").map(v -> {
            String s = v.text("the pre-declared contingency sentence").strip();
            if (s.isEmpty()) {
                throw v.bad("must not be blank; write the sentence or remove the key");
            }
            return s;
        });
        double alpha = top.get("alpha").map(SpecParser::alpha).orElse(DEFAULT_ALPHA);
        List<SharedState> sharedState = sharedState(top);
        DataQuality dataQuality = top.get("data_quality").map(SpecParser::dataQuality).orElse(DataQuality.DEFAULT);
        Optional<LongRun> longRun = top.get("long_run").map(this::longRun);
        long seed = top.get("seed").map(v -> v.integer("e.g. seed: " + DEFAULT_SEED))
                .orElse(DEFAULT_SEED);

        Optional<ExperimentSpec.Switchback> switchback = switchback(top, design, start);
        Optional<dev.verdict.spec.Saturation> saturation = SaturationBlock.parse(top, design);

        if (decision == DecisionPattern.TARGET_SEGMENT && segments.isEmpty()) {
            throw top.get("segments").map(v -> v.bad("decision target_segment needs at least one pre-declared"
                    + " segment column, e.g. segments: [workload]"))
                    .orElseGet(() -> top.missing("segments", "decision target_segment estimates effects by"
                            + " pre-declared segment; declare them, e.g. segments: [workload, tier]"));
        }
        boolean prePeriod = top.get("pre_period").map(Value::bool).orElse(false);
        if (prePeriod && start.isEmpty()) {
            throw top.get("pre_period").orElseThrow().bad("pre_period: true marks the rows before 'start' as a "
                    + "pre-period, but the spec declares no start; add start (e.g. start: 2026-11-02T00:00:00Z) or "
                    + "remove pre_period");
        }
        Optional<dev.verdict.spec.Rerandomization> rerandomization = RerandomizationBlock.parse(top, design, prePeriod,
                saturation.isPresent(), unit, this::column);
        return new ExperimentSpec(name, decision, design, data, format, columns, unit, arms, allocation, start,
                success, guardrails, economics, segments, rollback, contingency, alpha, sharedState, dataQuality,
                longRun, seed, absSpecFile, switchback, SpecStrata.parse(top.get("strata"), design, unit, this::column),
                saturation, prePeriod, QuasiBlock.parse(top, design, this::column), rerandomization);
    }

    /**
     * The {@code switchback} block: required for design switchback and an error for any other design. Block and washout
     * are whole minutes with {@code 0 <= washout < block}; the origin is {@code switchback.origin} or else the spec's
     * {@code start}, one of which must be given.
     */
    private Optional<ExperimentSpec.Switchback> switchback(Section top, Design design, Optional<String> start) {
        Optional<Value> v = top.get("switchback");
        String example = "{block_minutes: 60, washout_minutes: 10}";
        if (design != Design.SWITCHBACK) {
            v.ifPresent(b -> {
                throw b.bad("a switchback block only applies to design: switchback (design here is " + lower(design)
                        + "); remove it or set design: switchback");
            });
            return Optional.empty();
        }
        if (v.isEmpty()) {
            throw top.missing("switchback", "design switchback needs its time blocks, e.g. switchback: " + example);
        }
        Section s = v.get().section(SWITCHBACK_KEYS, example);
        Value blockValue = s.require("block_minutes", "give the length of a time block in whole minutes, e.g."
                + " block_minutes: 60");
        long block = blockValue.integer("e.g. block_minutes: 60");
        if (block <= 0 || block > 366L * 24 * 60) {
            throw blockValue.bad("expected a block length in whole minutes, > 0 and at most a year, e.g. block_minutes: 60");
        }
        long washout = 0;
        Optional<Value> w = s.get("washout_minutes");
        if (w.isPresent()) {
            washout = w.get().integer("e.g. washout_minutes: 10");
            if (washout < 0 || washout >= block) {
                throw w.get().bad("expected whole minutes in [0, block_minutes) = [0, " + block + "): the washout is the"
                        + " start of each block left out, so it must be shorter than the block, e.g. washout_minutes: "
                        + Math.min(10, block / 6));
            }
        }
        Optional<String> origin = s.get("origin").map(SpecParser::start);
        if (origin.isEmpty() && start.isEmpty()) {
            throw s.missing("origin", "a switchback's blocks are counted from an origin: give switchback.origin or the"
                    + " spec's start, e.g. origin: 2026-11-02T00:00:00Z");
        }
        Optional<String> by = s.get("by").map(this::column);
        String schedule = ExperimentSpec.Switchback.DEFAULT_SCHEDULE;
        Optional<Value> sv = s.get("schedule");
        if (sv.isPresent()) {
            schedule = sv.get().text("e.g. schedule: complete");
            if (!ExperimentSpec.Switchback.SCHEDULES.contains(schedule)) {
                throw sv.get().bad("expected one of " + String.join(" | ", ExperimentSpec.Switchback.SCHEDULES)
                        + ": how the blocks' arms were drawn, which randomization inference re-draws, e.g. schedule: "
                        + "within_day");
            }
        }
        int order = 0;
        Optional<Value> ov = s.get("carryover_order");
        if (ov.isPresent()) {
            long m = ov.get().integer("e.g. carryover_order: 1");
            if (m < 0 || m > 1000) {
                throw ov.get().bad("expected a whole number of blocks in [0, 1000]: how many earlier blocks' arms still "
                        + "act on a block past its washout (0: the washout clears carryover), e.g. carryover_order: 1");
            }
            order = (int) m;
        }
        if (schedule.equals("minimax_regret") && order == 0 && ov.isEmpty()) {
            throw s.missing("carryover_order", "schedule minimax_regret is designed for a declared carryover order; give "
                    + "it, e.g. carryover_order: 1");
        }
        return Optional.of(new ExperimentSpec.Switchback(block * 60, washout * 60, origin.orElseGet(start::get), by,
                schedule, order));
    }

    private static Design design(Section top) {
        Value v = top.require("design", "say how the experiment was run, e.g. design: request_rct (allowed: "
                + names(SUPPORTED_DESIGNS) + ")");
        Design d = v.oneOf(Design.class, EnumSet.allOf(Design.class));
        if (!SUPPORTED_DESIGNS.contains(d)) {
            throw v.bad("the design is recognised but not supported by this version of verdict, which analyzes "
                    + names(SUPPORTED_DESIGNS) + " only");
        }
        return d;
    }

    private List<String> data(Section top, DataFormat format) {
        Value v = top.require("data", "name the request log, e.g. data: requests.parquet (a file or glob,"
                + " or a list of them, relative to the spec file's folder)");
        if (format == DataFormat.TABLE) {
            String table = v.singleLine("a catalog table, e.g. data: logs.requests", 400);
            if (!TABLE.matcher(table).matches()) {
                throw v.bad("with format table, data names one catalog table: [catalog.][database.]table, each part a "
                        + "plain identifier, e.g. data: logs.requests");
            }
            return List.of(table);
        }
        List<Value> entries = v.isList() ? v.items("[day1.parquet, day2.parquet]") : List.of(v);
        if (entries.isEmpty()) {
            throw v.bad("give at least one file or glob, e.g. data: requests.parquet");
        }
        List<String> out = new ArrayList<>();
        Map<String, LogSource.Format> inferred = new LinkedHashMap<>();
        for (Value e : entries) {
            String raw = e.singleLine("a file path or glob (CSV or Parquet)", 4096);
            if (raw.startsWith("~")) {
                throw e.bad("'~' is not expanded; write the path relative to the spec file's folder or absolute");
            }
            if (raw.toLowerCase(Locale.ROOT).startsWith("http://") || raw.toLowerCase(Locale.ROOT).startsWith("https://")) {
                throw e.bad("web URLs are not read; give a file or glob on a file system (local, or hdfs://, s3a://, "
                        + "gs://, abfs:// ... for the Spark engine)");
            }
            // a file system URI (hdfs://, s3a://, file:// ...) is kept as written: the engine resolves it
            String resolved = URL.matcher(raw).matches() ? raw : resolve(e, raw);
            if (out.contains(resolved)) {
                throw e.bad("the same file is listed twice (" + SpecMessages.oneLine(resolved) + "); list it once");
            }
            out.add(resolved);
            LogSource.Format f = LogSource.inferFormat(raw);
            if (format == DataFormat.AUTO && !inferred.isEmpty() && !inferred.containsValue(f)) {
                Map.Entry<String, LogSource.Format> first = inferred.entrySet().iterator().next();
                throw e.bad("with format auto this reads as " + lower(f) + " but \"" + first.getKey()
                        + "\" reads as " + lower(first.getValue()) + "; one spec reads one format");
            }
            inferred.put(raw, f);
            String lc = raw.toLowerCase(Locale.ROOT);
            boolean looksParquet = lc.endsWith(".parquet") || lc.endsWith(".pq");
            boolean looksCsv = lc.endsWith(".csv") || lc.endsWith(".csv.gz") || lc.endsWith(".tsv");
            if (format == DataFormat.CSV && looksParquet || format == DataFormat.PARQUET && looksCsv) {
                throw e.bad("the file name says " + (looksParquet ? "parquet" : "csv") + " but format is "
                        + lower(format) + "; fix the format key or remove it to infer the format from the extension");
            }
        }
        return out;
    }

    /**
     * An absolute, normalized path for a file or glob: the part before the first glob character
     * ({@code * ? [ {}) is resolved against the spec folder; the glob tail is kept as written.
     */
    private String resolve(Value v, String raw) {
        int glob = firstGlobChar(raw);
        String fixed = raw;
        String tail = "";
        if (glob >= 0) {
            int cut = Math.max(raw.lastIndexOf('/', glob), raw.lastIndexOf('\\', glob));
            fixed = cut < 0 ? "" : raw.substring(0, cut == 0 ? 1 : cut);
            tail = cut < 0 ? raw : raw.substring(cut + 1);
        }
        try {
            Path base = fixed.isEmpty() ? folder : folder.resolve(fixed).normalize();
            String b = base.toString();
            String sep = base.getFileSystem().getSeparator();
            return tail.isEmpty() ? b : b + (b.endsWith(sep) ? "" : sep) + tail;
        } catch (InvalidPathException e) {
            throw v.bad("not a valid path on this system (" + SpecMessages.oneLine(e.getReason()) + ")");
        }
    }

    private static int firstGlobChar(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == '{') {
                return i;
            }
        }
        return -1;
    }

    private Map<String, String> columns(Section top) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String c : CanonicalColumns.ALL) {
            out.put(c, c);
        }
        Optional<Value> v = top.get("columns");
        if (v.isEmpty()) {
            return out;
        }
        Section s = v.get().section(CanonicalColumns.ALL, COLUMN_HINTS, "{arm: variant, ts: event_time}");
        for (String key : s.keys()) {
            Value col = s.get(key).orElseThrow();
            String name = col.identifier();
            out.put(key, name);
            if (!name.equals(key)) {
                remapped.put(name, key);
            }
        }
        Map<String, String> readBy = new HashMap<>();
        for (Map.Entry<String, String> e : out.entrySet()) {
            String other = readBy.putIfAbsent(e.getValue(), e.getKey());
            if (other != null) {
                String explicit = s.has(e.getKey()) ? e.getKey() : other;
                String second = explicit.equals(e.getKey()) ? other : e.getKey();
                throw s.get(explicit).orElseThrow().bad("canonical columns '" + explicit + "' and '" + second
                        + "' would both read log column '" + e.getValue() + "'; map each canonical name to its own"
                        + " column (e.g. also remap '" + second + "')");
            }
        }
        return out;
    }

    /** A column reference: an identifier, named by its canonical name when the log's name is remapped. */
    private String column(Value v) {
        String name = v.identifier();
        String canonical = remapped.get(name);
        if (canonical != null && !CanonicalColumns.ALL.contains(name)) {
            throw v.bad("'" + name + "' is the log's name for canonical column '" + canonical + "' (columns."
                    + canonical + "); refer to it as " + canonical);
        }
        return name;
    }

    private static String unit(Section top, Design design) {
        Optional<Value> v = top.get("unit");
        if (design == Design.REQUEST_RCT) {
            v.ifPresent(u -> {
                if (!u.isText() || !u.raw().equals(CanonicalColumns.REQUEST_ID)) {
                    throw u.bad("a request RCT randomizes requests, so its unit is request_id; for user or workspace"
                            + " randomization set design: user_rct");
                }
            });
            return CanonicalColumns.REQUEST_ID;
        }
        if (design == Design.SWITCHBACK) {
            v.ifPresent(u -> {
                throw u.bad("a switchback randomizes time blocks of ts, so it has no unit column; set the blocks under"
                        + " switchback (block_minutes, and by: region for per-region schedules) and remove unit");
            });
            return CanonicalColumns.TS;
        }
        if (design == Design.PROPENSITY || design == Design.RDD) {
            v.ifPresent(u -> {
                if (!u.isText() || !u.raw().equals(CanonicalColumns.REQUEST_ID)) {
                    throw u.bad("design " + QuasiBlock.wire(design) + " compares requests, so its unit is request_id;"
                            + " remove unit");
                }
            });
            return CanonicalColumns.REQUEST_ID;
        }
        if (design == Design.DID || design == Design.SYNTHETIC_CONTROL) {
            List<String> panelUnits = List.of(CanonicalColumns.CLUSTER, CanonicalColumns.REGION,
                    CanonicalColumns.WORKSPACE_ID);
            if (v.isEmpty()) {
                return CanonicalColumns.CLUSTER;
            }
            Value u = v.get();
            if (!u.isText() || !panelUnits.contains(u.raw())) {
                throw u.bad("design " + QuasiBlock.wire(design) + " compares units over time; allowed: "
                        + SpecMessages.choices(panelUnits) + " (canonical names; map the log's own name under "
                        + "'columns')" + (u.isText() ? SpecMessages.didYouMean(u.raw(), panelUnits) : ""));
            }
            return u.raw();
        }
        if (design == Design.CLUSTER_RCT) {
            List<String> clusters = List.of(CanonicalColumns.CLUSTER, CanonicalColumns.REGION);
            if (v.isEmpty()) {
                return CanonicalColumns.CLUSTER;
            }
            Value u = v.get();
            if (!u.isText() || !clusters.contains(u.raw())) {
                throw u.bad("a cluster RCT randomizes clusters or regions; allowed: " + SpecMessages.choices(clusters)
                        + " (canonical names; map the log's own name under 'columns', e.g. columns: {cluster: pool})"
                        + (u.isText() ? SpecMessages.didYouMean(u.raw(), clusters) : ""));
            }
            return u.raw();
        }
        List<String> allowed = List.of(CanonicalColumns.USER_ID, CanonicalColumns.WORKSPACE_ID);
        if (v.isEmpty()) {
            return CanonicalColumns.USER_ID;
        }
        Value u = v.get();
        if (!u.isText() || !allowed.contains(u.raw())) {
            throw u.bad("a user RCT randomizes users or workspaces; allowed: " + SpecMessages.choices(allowed)
                    + " (canonical names; map the log's own name under 'columns')"
                    + (u.isText() ? SpecMessages.didYouMean(u.raw(), allowed) : ""));
        }
        return u.raw();
    }

    private static Arms arms(Section top) {
        Optional<Value> v = top.get("arms");
        if (v.isEmpty()) {
            return new Arms("control", "treatment");
        }
        Section s = v.get().section(ARM_KEYS, "{control: control, treatment: treatment}");
        String control = armLabel(s, "control");
        String treatment = armLabel(s, "treatment");
        if (control.equals(treatment)) {
            throw s.get("treatment").orElseThrow().bad("the treatment label must differ from the control label \""
                    + control + "\"");
        }
        return new Arms(control, treatment);
    }

    private static String armLabel(Section s, String key) {
        Value v = s.require(key, "give the " + key + " arm's label as it appears in the arm column, e.g. " + key
                + ": " + key);
        if (v.isNumber() && v.raw().matches("[-+]?\\d+")) {
            return Long.toString(v.integer("an arm label"));
        } else if (!v.isText()) {
            throw v.bad("expected the arm's label as text, as it appears in the arm column (quote it)");
        }
        return v.singleLine("the arm's label as it appears in the arm column", 256);
    }

    private static Allocation allocation(Section top) {
        Optional<Value> v = top.get("allocation");
        if (v.isEmpty()) {
            return new Allocation(0.5, 0.5);
        }
        Section s = v.get().section(ARM_KEYS, "{control: 0.5, treatment: 0.5}");
        double[] share = new double[2];
        for (int i = 0; i < 2; i++) {
            String key = ARM_KEYS.get(i);
            Value a = s.require(key, "give the declared share of units in " + key + ", e.g. " + key + ": 0.5");
            share[i] = a.number("a share strictly between 0 and 1, e.g. 0.5");
            if (!(share[i] > 0 && share[i] < 1)) {
                throw a.bad("a share must be strictly between 0 and 1");
            }
        }
        double sum = share[0] + share[1];
        if (Math.abs(sum - 1) > ALLOCATION_TOLERANCE) {
            throw s.problem("got control " + s.get("control").orElseThrow().raw() + " + treatment "
                    + s.get("treatment").orElseThrow().raw() + " = " + sum + "; the two shares must sum to 1");
        }
        return new Allocation(share[0], share[1]);
    }

    private static String start(Value v) {
        String allowed = "an ISO-8601 instant such as 2026-11-02T00:00:00Z (or with an offset, +01:00)"
                + " or a date such as 2026-11-02 (midnight UTC)";
        String s = v.text(allowed).strip();
        allowed = "expected " + allowed;
        try {
            return Instant.parse(s).toString();
        } catch (DateTimeParseException ignored) {
            // try the other accepted forms
        }
        try {
            return OffsetDateTime.parse(s).toInstant().toString();
        } catch (DateTimeParseException ignored) {
            // try the other accepted forms
        }
        try {
            return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant().toString();
        } catch (DateTimeParseException ignored) {
            // try the other accepted forms
        }
        try {
            LocalDateTime.parse(s);
            throw v.bad("the time has no zone; append Z for UTC (" + s + "Z) or an offset such as +01:00");
        } catch (DateTimeParseException e) {
            throw v.bad(allowed);
        }
    }

    private MetricSpec metric(Section s, boolean guardrail) {
        String metric = column(s.require("metric", "name the outcome column, e.g. metric: "
                + (guardrail ? "latency_ms" : "completed")));
        MetricKind kind = s.get("kind").map(v -> v.oneOf(MetricKind.class, EnumSet.allOf(MetricKind.class)))
                .orElse(MetricKind.MEAN);
        Direction direction = s.get("direction").map(v -> v.oneOf(Direction.class, EnumSet.allOf(Direction.class)))
                .orElse(guardrail ? Direction.DECREASE : Direction.INCREASE);
        Optional<Threshold> minEffect = guardrail ? Optional.empty() : s.get("min_effect").map(SpecParser::threshold);
        Optional<String> denominator;
        if (kind == MetricKind.RATIO) {
            Value d = s.require("denominator", "kind ratio compares sum(" + metric + ") / sum(denominator);"
                    + " name the denominator column, e.g. denominator: completed");
            String den = column(d);
            if (den.equals(metric)) {
                throw d.bad("the denominator must differ from the metric (a ratio of a column to itself is 1)");
            }
            denominator = Optional.of(den);
        } else {
            s.get("denominator").ifPresent(d -> {
                throw d.bad("a denominator only applies to kind ratio (kind here is " + kind.wireName()
                        + "); remove it or set kind: ratio");
            });
            denominator = Optional.empty();
        }
        Optional<String> covariate = s.get("covariate").map(c -> {
            if (kind != MetricKind.MEAN && kind != MetricKind.PROPORTION) {
                throw c.bad("covariate adjustment (CUPED) applies to kind mean or proportion only (kind here is "
                        + kind.wireName() + "); remove it");
            }
            String cov = column(c);
            if (cov.equals(metric)) {
                throw c.bad("the covariate must be a pre-period column, not the outcome itself");
            }
            return cov;
        });
        return new MetricSpec(metric, kind, direction, minEffect, denominator, covariate);
    }

    private static Threshold threshold(Value v) {
        if (v.isNumber()) {
            double x = v.number(THRESHOLD);
            if (x < 0) {
                throw v.bad("must be non-negative (direction says which way is good): " + THRESHOLD);
            }
            return new Threshold(x, false);
        }
        if (v.isText()) {
            Matcher m = PERCENT.matcher(v.raw().strip());
            if (m.matches()) {
                double pct = Double.parseDouble(m.group(1));
                if (pct < 0) {
                    throw v.bad("must be non-negative (direction says which way is good): " + THRESHOLD);
                }
                return new Threshold(pct / 100, true);
            }
            if (v.raw().strip().matches("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?")) {
                throw v.bad("expected " + THRESHOLD + "; remove the quotes to write a number");
            }
        }
        throw v.bad("expected " + THRESHOLD);
    }

    private List<Guardrail> guardrails(Section top) {
        Optional<Value> v = top.get("guardrails");
        if (v.isEmpty()) {
            return List.of();
        }
        List<Guardrail> out = new ArrayList<>();
        Map<String, String> seen = new HashMap<>();
        for (Value item : v.get().items("[{metric: latency_ms, kind: p99, max_harm: 5%}]")) {
            Section g = item.section(GUARDRAIL_KEYS, GUARDRAIL_HINTS, "{metric: latency_ms, kind: p99, max_harm: 5%}");
            MetricSpec m = metric(g, true);
            Threshold harm = threshold(g.require("max_harm", "every guardrail needs the largest tolerated harm,"
                    + " e.g. max_harm: 5% (of control) or max_harm: 0.005 (in the metric's unit)"));
            String earlier = seen.putIfAbsent(m.label(), item.path());
            if (earlier != null) {
                throw item.problem("duplicates " + earlier + " (" + m.label() + "); keep one guardrail per metric");
            }
            out.add(new Guardrail(m, harm));
        }
        return out;
    }

    private Economics economics(Value v) {
        Section s = v.section(ECONOMICS_KEYS, "{cost: cost_usd, value: value_usd, success: completed}");
        Optional<String> cost = s.get("cost").map(this::column);
        Optional<String> gpu = s.get("gpu").map(this::column);
        Optional<String> value = s.get("value").map(this::column);
        String success = s.get("success").map(this::column).orElse(CanonicalColumns.COMPLETED);
        double minNetGain = s.get("min_net_gain").map(g -> {
            double x = g.number("a non-negative amount of money per request, e.g. 0.0001");
            if (x < 0) {
                throw g.bad("must be non-negative (money per request)");
            }
            return x;
        }).orElse(0.0);
        if (cost.isEmpty() && value.isEmpty()) {
            throw s.problem("declares neither cost nor value; give at least one, e.g. economics: {cost: cost_usd,"
                    + " value: value_usd}, or remove the economics block");
        }
        return new Economics(cost, gpu, value, success, minNetGain);
    }

    private List<String> segments(Section top, String unit) {
        Optional<Value> v = top.get("segments");
        if (v.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        Set<String> forbidden = new HashSet<>(List.of(CanonicalColumns.ARM, CanonicalColumns.EXECUTED_ARM,
                CanonicalColumns.REQUEST_ID, unit));
        for (Value item : v.get().items("[workload, tier]")) {
            String col = column(item);
            if (out.contains(col)) {
                throw item.bad("segment '" + col + "' is listed twice (first at " + v.get().path() + "["
                        + out.indexOf(col) + "]); list each segment once");
            }
            if (forbidden.contains(col)) {
                throw item.bad("'" + col + "' cannot be a segment (it is the arm, an id or the randomization unit);"
                        + " segment by pre-treatment attributes such as workload or tier");
            }
            out.add(col);
        }
        return out;
    }

    private static Rollback rollback(Value v) {
        Section s = v.section(ROLLBACK_KEYS, "{error_rate_above: 0.05, p99_latency_ms_above: 5000}");
        return new Rollback(rollbackValue(s, "error_rate_above", true), rollbackValue(s, "p99_latency_ms_above", false),
                rollbackValue(s, "cost_per_success_above", false), rollbackValue(s, "fallback_rate_above", true));
    }

    private static OptionalDouble rollbackValue(Section s, String key, boolean rate) {
        Optional<Value> v = s.get(key);
        if (v.isEmpty()) {
            return OptionalDouble.empty();
        }
        String allowed = rate ? "a rate in [0, 1), e.g. 0.05" : "a non-negative number";
        double x = v.get().number(allowed);
        if (x < 0 || rate && x >= 1) {
            throw v.get().bad("expected " + allowed);
        }
        return OptionalDouble.of(x);
    }

    private static double alpha(Value v) {
        String allowed = "a significance level in (0, " + MAX_ALPHA + "], e.g. alpha: " + DEFAULT_ALPHA;
        double a = v.number(allowed);
        if (!(a > 0 && a <= MAX_ALPHA)) {
            throw v.bad("expected " + allowed);
        }
        return a;
    }

    private static List<SharedState> sharedState(Section top) {
        Optional<Value> v = top.get("shared_state");
        if (v.isEmpty()) {
            return List.of();
        }
        List<SharedState> out = new ArrayList<>();
        for (Value item : v.get().items("[cache, batching]")) {
            SharedState st = item.oneOf(SharedState.class, EnumSet.allOf(SharedState.class));
            if (out.contains(st)) {
                throw item.bad("listed twice; list each kind of shared state once");
            }
            out.add(st);
        }
        return out;
    }

    private static DataQuality dataQuality(Value v) {
        Section s = v.section(DATA_QUALITY_KEYS, "{max_missing_share: 0.01, max_unknown_arm_share: 0.001}");
        return new DataQuality(share(s, "max_missing_share", DataQuality.DEFAULT.maxMissingShare()),
                share(s, "max_unknown_arm_share", DataQuality.DEFAULT.maxUnknownArmShare()));
    }

    private static double share(Section s, String key, double fallback) {
        Optional<Value> v = s.get(key);
        if (v.isEmpty()) {
            return fallback;
        }
        double x = v.get().number("a share in [0, 1), e.g. " + fallback);
        if (!(x >= 0 && x < 1)) {
            throw v.get().bad("expected a share in [0, 1), e.g. " + fallback);
        }
        return x;
    }

    private LongRun longRun(Value v) {
        Section s = v.section(LONG_RUN_KEYS, "{metric: retention_30d, observed: false}");
        String metric = column(s.require("metric", "name the long-run outcome, e.g. metric: retention_30d"));
        boolean observed = s.get("observed").map(Value::bool).orElse(false);
        return new LongRun(metric, observed);
    }

    private static Map<String, List<String>> allowedKeys() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("", TOP_KEYS);
        m.put("columns", CanonicalColumns.ALL);
        m.put("arms", ARM_KEYS);
        m.put("allocation", ARM_KEYS);
        m.put("success", SUCCESS_KEYS);
        m.put("guardrails[]", GUARDRAIL_KEYS);
        m.put("economics", ECONOMICS_KEYS);
        m.put("rollback", ROLLBACK_KEYS);
        m.put("data_quality", DATA_QUALITY_KEYS);
        m.put("long_run", LONG_RUN_KEYS);
        m.put("switchback", SWITCHBACK_KEYS);
        m.put("saturation", SaturationBlock.KEYS);
        m.put("rerandomization", RerandomizationBlock.KEYS);
        m.put("did", QuasiBlock.DID_KEYS);
        m.put("synthetic_control", QuasiBlock.SC_KEYS);
        m.put("propensity", QuasiBlock.PS_KEYS);
        m.put("rdd", QuasiBlock.RDD_KEYS);
        return Collections.unmodifiableMap(m);
    }

    private static String names(Set<Design> designs) {
        return EnumSet.copyOf(designs).stream().map(d -> d.name().toLowerCase(Locale.ROOT)).reduce((a, b) -> a
                + " | " + b).orElse("");
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}

package dev.verdict.engine.duckdb;

import dev.verdict.InputException;
import dev.verdict.reduce.BucketScan;
import dev.verdict.reduce.BucketScan.Bucket;
import dev.verdict.reduce.BucketScan.BucketFunction;
import dev.verdict.reduce.BucketScan.Extracted;
import dev.verdict.reduce.BucketScan.Extraction;
import dev.verdict.reduce.BucketScan.HistogramRequest;
import dev.verdict.reduce.BucketScan.Linear;
import dev.verdict.reduce.BucketScan.Log;
import dev.verdict.reduce.Engine;
import dev.verdict.reduce.ExactSums;
import dev.verdict.reduce.FineCells;
import dev.verdict.reduce.FineCells.FineCell;
import dev.verdict.reduce.ExactQuantiles;
import dev.verdict.reduce.LogSchema;
import dev.verdict.reduce.LogSchema.ColumnKind;
import dev.verdict.reduce.LogSource;
import dev.verdict.reduce.Panel;
import dev.verdict.reduce.Reduction;
import dev.verdict.reduce.ReductionPlan;
import dev.verdict.reduce.UnitKey;
import dev.verdict.reduce.VariableGroup;
import dev.verdict.stats.ClusterBlock;
import dev.verdict.stats.ClusterBlockReduction;
import dev.verdict.stats.Moments;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The embedded default engine: DuckDB in-process over JDBC, reading CSV and Parquet files or globs.
 *
 * <p>A request-level plan compiles to one aggregation with {@code GROUPING SETS} over (arm), (arm,
 * segment) for every segment, and the pooled declared arms: one scan of the log gives every cell's
 * moments, the integrity counters and the quantiles. A unit-level plan compiles to one aggregation
 * per unit nested in one aggregation over units, again one scan; its row-level quantiles (if any) take
 * a second scan. Only aggregates cross JDBC.
 */
public final class DuckDbEngine implements Engine {
    private final Connection connection;
    /** Column types of the source being reduced (see {@link #typesOf}); the engine is not thread-safe. */
    private final Map<String, String> types = new java.util.HashMap<>();

    private DuckDbEngine(Connection connection) {
        this.connection = connection;
    }

    /** An in-memory DuckDB database in this process. */
    public static DuckDbEngine inMemory() {
        try {
            Class.forName("org.duckdb.DuckDBDriver");
            return new DuckDbEngine(DriverManager.getConnection("jdbc:duckdb:"));
        } catch (SQLException | ClassNotFoundException e) {
            throw new IllegalStateException("cannot start embedded DuckDB: " + e.getMessage(), e);
        }
    }

    @Override
    public String name() {
        return "duckdb";
    }

    @Override
    public String version() {
        try (Statement s = connection.createStatement(); ResultSet rs = query(s, "SELECT version()")) {
            rs.next();
            return rs.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public List<String> files(LogSource source) {
        if (source.format() == LogSource.Format.TABLE) {
            throw InputException.spec("spec key 'format': 'table' names a catalog table, which the Spark engine reads; "
                    + "run with --engine spark, or point 'data' at the table's files");
        }
        TreeSet<String> files = new TreeSet<>();
        for (String path : source.paths()) {
            List<String> found = new ArrayList<>();
            try (Statement s = connection.createStatement();
                 ResultSet rs = query(s, "SELECT file FROM glob(" + Sql.str(path) + ")")) {
                while (rs.next()) {
                    found.add(rs.getString(1));
                }
            } catch (SQLException e) {
                throw InputException.data("spec key 'data': cannot list '" + path + "': " + firstLine(e), e);
            }
            if (found.isEmpty()) {
                throw InputException.data("spec key 'data': no file matches '" + path
                        + "'; check the path (relative paths resolve against the spec file's folder)");
            }
            files.addAll(found);
        }
        return List.copyOf(files);
    }

    @Override
    public LogSchema describe(LogSource source) {
        Map<String, ColumnKind> columns = new LinkedHashMap<>();
        try (Statement s = connection.createStatement();
             ResultSet rs = query(s, "DESCRIBE SELECT * FROM " + from(source))) {
            while (rs.next()) {
                columns.put(rs.getString("column_name"), kind(rs.getString("column_type")));
            }
        } catch (SQLException e) {
            throw InputException.data("spec key 'data': cannot read " + String.join(", ", source.paths())
                    + " as " + source.format().name().toLowerCase(Locale.ROOT) + ": " + firstLine(e), e);
        }
        return new LogSchema(columns);
    }

    @Override
    public Optional<String> firstNonNumeric(LogSource source, String column) {
        String c = Sql.id(column);
        String sql = "SELECT CAST(" + c + " AS VARCHAR) FROM " + from(source) + " WHERE " + c
                + " IS NOT NULL AND TRY_CAST(" + c + " AS DOUBLE) IS NULL LIMIT 1";
        try (Statement s = connection.createStatement(); ResultSet rs = query(s, sql)) {
            return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
        } catch (SQLException e) {
            throw InputException.data("column '" + column + "': cannot read it: " + firstLine(e), e);
        }
    }

    @Override
    public Reduction reduce(ReductionPlan plan) {
        typesOf(plan.source());
        return plan.unitLevel() ? reduceUnits(plan) : reduceRequests(plan);
    }

    // ---------------------------------------------------------------- request level

    private Reduction reduceRequests(ReductionPlan plan) {
        String arm = text(plan.armColumn());
        Map<String, Double> shift = pilot(plan);
        java.util.TreeSet<String> columns = new java.util.TreeSet<>();
        plan.groups().forEach(g -> columns.addAll(g.allColumns()));
        Bounds bounds = bounds(plan.source(), columns);
        Map<String, Integer> scales = new java.util.HashMap<>();
        List<String> select = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        select.add(arm + " AS arm_key");
        keys.add("arm_key");
        for (int s = 0; s < plan.segments().size(); s++) {
            select.add(text(plan.segments().get(s)) + " AS seg_" + s);
            keys.add("seg_" + s);
        }
        select.add("count(*) AS n_rows");
        for (int g = 0; g < plan.groups().size(); g++) {
            addRowSums(select, plan.groups().get(g), g, shift, bounds, scales);
        }
        addRowCounters(select, plan, arm);
        String sql = "SELECT " + String.join(",\n  ", select) + "\nFROM " + from(plan.source()) + "\nGROUP BY "
                + String.join(", ", keys);
        Reduction cells = collect(plan, sql, false, shift, scales);
        return plan.quantiles().isEmpty() ? cells
                : new Reduction(cells.rows(), cells.cells(), cells.armLabelCounts(), cells.counters(), rowQuantiles(plan));
    }

    /**
     * What the exact sums need to know of each moment column before the scan: the largest absolute value of the
     * column minus its pilot shift could be (an upper bound), and whether it has missing values; plus the log's rows.
     */
    private record Bounds(long rows, Map<String, Double> largest, Map<String, Boolean> nullable) { }

    /**
     * Bounds from the Parquet footers when every file has min/max statistics for every column (no scan); otherwise
     * from one scan of {@code count}, {@code min} and {@code max}.
     */
    private Bounds bounds(LogSource source, java.util.Collection<String> columns) {
        Map<String, Double> lo = new TreeMap<>();
        Map<String, Double> hi = new TreeMap<>();
        Map<String, Boolean> nullable = new TreeMap<>();
        long rows = -1;
        if (source.format() == LogSource.Format.PARQUET && !columns.isEmpty()) {
            rows = footerBounds(source, columns, lo, hi, nullable);
        }
        if (rows < 0) {
            lo.clear();
            hi.clear();
            nullable.clear();
            List<String> select = new ArrayList<>();
            select.add("count(*)");
            for (String c : columns) {
                select.add("count(" + Sql.id(c) + "), min(" + dbl(c) + "), max(" + dbl(c) + ")");
            }
            try (Statement s = connection.createStatement();
                 ResultSet rs = query(s, "SELECT " + String.join(", ", select) + " FROM " + from(source))) {
                rs.next();
                rows = rs.getLong(1);
                int i = 2;
                for (String c : columns) {
                    long present = rs.getLong(i++);
                    lo.put(c, rs.getDouble(i++));
                    hi.put(c, rs.getDouble(i++));
                    nullable.put(c, present < rows);
                }
            } catch (SQLException e) {
                throw dataError(source, e);
            }
        }
        Map<String, Double> largest = new TreeMap<>();
        for (String c : columns) {
            double m = Math.max(Math.abs(lo.get(c)), Math.abs(hi.get(c)));
            if (!Double.isFinite(m)) { // NaN is the largest value in DuckDB's order, so it shows here too
                throw InputException.data("column '" + c + "' contains NaN or infinite values; exact sums need finite "
                        + "numbers: clean the column or remap it in spec key 'columns'");
            }
            largest.put(c, m);
        }
        return new Bounds(rows, largest, nullable);
    }

    /** Fills the bounds from Parquet footer statistics; the log's row count, or -1 when a statistic is missing. */
    private long footerBounds(LogSource source, java.util.Collection<String> columns, Map<String, Double> lo,
                              Map<String, Double> hi, Map<String, Boolean> nullable) {
        String names = columns.stream().map(Sql::str).collect(Collectors.joining(", "));
        String sql = "SELECT path_in_schema AS c, count(*) AS chunks, count(DISTINCT file_name) AS files, "
                + "min(TRY_CAST(stats_min_value AS DOUBLE)) AS lo, max(TRY_CAST(stats_max_value AS DOUBLE)) AS hi, "
                + "count(TRY_CAST(stats_min_value AS DOUBLE)) AS with_lo, count(TRY_CAST(stats_max_value AS DOUBLE)) "
                + "AS with_hi, count(stats_null_count) AS with_nulls, sum(stats_null_count) AS nulls FROM parquet_metadata("
                + Sql.strList(source.paths()) + ") WHERE path_in_schema IN (" + names + ") GROUP BY path_in_schema";
        String count = "SELECT count(DISTINCT file_name), sum(row_group_num_rows) FROM (SELECT DISTINCT file_name, "
                + "row_group_id, row_group_num_rows FROM parquet_metadata(" + Sql.strList(source.paths()) + "))";
        try (Statement s = connection.createStatement()) {
            long files;
            long rows;
            try (ResultSet rs = query(s, count)) {
                rs.next();
                files = rs.getLong(1);
                rows = rs.getLong(2);
            }
            try (ResultSet rs = query(s, sql)) {
                while (rs.next()) {
                    String c = rs.getString("c");
                    long chunks = rs.getLong("chunks");
                    boolean complete = rs.getLong("files") == files && rs.getLong("with_lo") == chunks
                            && rs.getLong("with_hi") == chunks && rs.getLong("with_nulls") == chunks;
                    if (!complete) {
                        return -1;
                    }
                    lo.put(c, rs.getDouble("lo"));
                    hi.put(c, rs.getDouble("hi"));
                    nullable.put(c, rs.getLong("nulls") > 0);
                }
            }
            for (String c : columns) {
                if (!lo.containsKey(c)) {
                    if (!"BOOLEAN".equals(types.get(c))) {
                        return -1;
                    }
                }
            }
            return rows;
        } catch (SQLException e) {
            return -1;
        }
    }

    /**
     * A shift per moment column: its first non-missing value in file order (DuckDB preserves insertion order for a
     * plain {@code LIMIT}, so the pilot is deterministic). Sums of {@code (x - c)} and of their products then keep
     * their precision when a column's mean is large relative to its spread.
     */
    private Map<String, Double> pilot(ReductionPlan plan) {
        java.util.TreeSet<String> columns = new java.util.TreeSet<>();
        plan.groups().forEach(g -> columns.addAll(g.allColumns()));
        return pilot(plan.source(), columns);
    }

    private Map<String, Double> pilot(LogSource source, java.util.Collection<String> columns) {
        Map<String, Double> out = new TreeMap<>();
        if (columns.isEmpty()) {
            return out;
        }
        List<String> parts = new ArrayList<>();
        for (String c : columns) {
            parts.add("(SELECT " + dbl(c) + " FROM " + from(source) + " WHERE " + Sql.id(c) + " IS NOT NULL AND isfinite("
                    + dbl(c) + ") LIMIT 1)");
        }
        try (Statement s = connection.createStatement(); ResultSet rs = query(s, "SELECT " + String.join(", ", parts))) {
            rs.next();
            int i = 1;
            for (String c : columns) {
                double v = rs.getDouble(i++);
                out.put(c, rs.wasNull() ? 0.0 : v);
            }
        } catch (SQLException e) {
            throw dataError(source, e);
        }
        return out;
    }

    /**
     * The count, sums and sums of products of a group's shifted columns over its complete rows, each as an exact sum
     * ({@link #addExactSums}).
     */
    private void addRowSums(List<String> select, VariableGroup group, int g, Map<String, Double> shift, Bounds bounds,
                            Map<String, Integer> scales) {
        List<String> cols = group.allColumns();
        boolean complete = cols.stream().noneMatch(c -> bounds.nullable().getOrDefault(c, true));
        String filter = complete ? "" : " FILTER (WHERE " + cols.stream().map(c -> Sql.id(c) + " IS NOT NULL")
                .collect(Collectors.joining(" AND ")) + ")";
        select.add("count(*)" + filter + " AS m" + g + "_n");
        List<String> centred = cols.stream().map(c -> "(" + dbl(c) + " - " + Sql.exact(shift.get(c)) + ")").toList();
        addExactSums(select, cols, centred, shift, bounds, "m" + g + "_s", "m" + g + "_p", filter, scales);
    }

    /**
     * Exact sums ({@link ExactSums}) of the shifted values {@code centred} of {@code columns} and of their pairwise
     * products, as {@code sumPrefix + i} and {@code productPrefix + i + "_" + j}: each value is multiplied by a power of
     * two chosen from the column bounds, rounded to an integer and summed, so that DuckDB's parallel sums are exact and
     * the result is the same on every run and every engine. Records each alias's power in {@code scales}.
     */
    private static void addExactSums(List<String> select, List<String> columns, List<String> centred,
                                     Map<String, Double> shift, Bounds bounds, String sumPrefix, String productPrefix,
                                     String filter, Map<String, Integer> scales) {
        int[] mag = new int[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            String c = columns.get(i);
            mag[i] = ExactSums.magnitude(Math.abs(bounds.largest().get(c)) + Math.abs(shift.get(c)));
        }
        for (int i = 0; i < columns.size(); i++) {
            String alias = sumPrefix + i;
            int k = ExactSums.scaleExponent(bounds.rows(), mag[i], ExactSums.DOUBLE_BITS);
            scales.put(alias, k);
            select.add("sum(floor(" + centred.get(i) + " * " + Sql.exact(Math.scalb(1.0, k)) + " + 0.5))" + filter
                    + " AS " + alias);
        }
        for (int i = 0; i < columns.size(); i++) {
            for (int j = i; j < columns.size(); j++) {
                String alias = productPrefix + i + "_" + j;
                int k = ExactSums.scaleExponent(bounds.rows(), mag[i] + mag[j], ExactSums.DOUBLE_BITS);
                scales.put(alias, k);
                select.add("sum(floor(" + centred.get(i) + " * " + centred.get(j) + " * "
                        + Sql.exact(Math.scalb(1.0, k)) + " + 0.5))" + filter + " AS " + alias);
            }
        }
    }

    private void addRowCounters(List<String> select, ReductionPlan plan, String arm) {
        ReductionPlan.Fidelity f = plan.fidelity();
        select.add(f.executedArm().map(e -> "count(" + Sql.id(e) + ")").orElse("-1") + " AS c_exec_known");
        select.add(f.executedArm().map(e -> "count(*) FILTER (WHERE " + text(e) + " <> " + arm + ")")
                .orElse("-1") + " AS c_exec_mismatch");
        select.add(f.fallbackReason().map(e -> "count(*) FILTER (WHERE " + Sql.id(e) + " IS NOT NULL AND CAST("
                + Sql.id(e) + " AS VARCHAR) <> '')").orElse("-1") + " AS c_fallback");
        select.add(f.timedOut().map(e -> "count(*) FILTER (WHERE TRY_CAST(" + Sql.id(e) + " AS BOOLEAN))")
                .orElse("-1") + " AS c_timeout");
        select.add(plan.exposure().map(x -> "count(*) FILTER (WHERE CAST(" + Sql.id(x.timeColumn())
                + " AS TIMESTAMPTZ) < CAST(" + Sql.str(x.start().toString()) + " AS TIMESTAMPTZ))").orElse("-1")
                + " AS c_before");
    }

    // ---------------------------------------------------------------- unit level

    private Reduction reduceUnits(ReductionPlan plan) {
        String rawArm = text(plan.armColumn());
        String unit = String.join(", ", unitKeys(plan));
        List<String> per = new ArrayList<>();
        per.add(plan.exposure().map(x -> firstByTime(rawArm, Sql.id(x.timeColumn()))).orElse("min(" + rawArm + ")")
                + " AS arm_key");
        per.add("(min(" + rawArm + ") IS DISTINCT FROM max(" + rawArm + ")) AS mixed");
        per.add("count(*) AS n_rows");
        for (int s = 0; s < plan.segments().size(); s++) {
            // the unit's segment is its value at first exposure (a pre-treatment attribute), or the smallest value
            // when the log has no decision time: deterministic either way
            String seg = text(plan.segments().get(s));
            per.add(plan.exposure().map(x -> firstByTime(seg, Sql.id(x.timeColumn()))).orElse("min(" + seg + ")")
                    + " AS seg_" + s);
        }
        List<String> outer = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        outer.add("arm_key");
        keys.add("arm_key");
        for (int s = 0; s < plan.segments().size(); s++) {
            outer.add("seg_" + s);
            keys.add("seg_" + s);
        }
        outer.add("sum(n_rows) AS n_rows");
        outer.add("count(*) AS n_units");
        outer.add("count(*) FILTER (WHERE mixed) AS c_mixed");
        for (int g = 0; g < plan.groups().size(); g++) {
            VariableGroup group = plan.groups().get(g);
            List<String> cols = group.allColumns();
            String complete = " FILTER (WHERE " + cols.stream().map(c -> Sql.id(c) + " IS NOT NULL")
                    .collect(Collectors.joining(" AND ")) + ")";
            List<String> vars = new ArrayList<>();
            for (int i = 0; i < group.columns().size(); i++) {
                per.add("coalesce(fsum(" + dbl(group.columns().get(i)) + ")" + complete + ", 0) AS u" + g + "_" + i);
                vars.add("u" + g + "_" + i);
            }
            per.add("count(*)" + complete + " AS u" + g + "_n");
            vars.add("u" + g + "_n");
            String outerFilter = "";
            if (group.covariate().isPresent()) {
                per.add("fsum(" + dbl(group.covariate().get()) + ")" + complete + " / nullif(count(*)" + complete
                        + ", 0) AS u" + g + "_x");
                vars.add("u" + g + "_x");
                outerFilter = " FILTER (WHERE u" + g + "_x IS NOT NULL)";
            }
            outer.add("count(*)" + outerFilter + " AS m" + g + "_n");
            for (int i = 0; i < vars.size(); i++) {
                outer.add("fsum(" + vars.get(i) + ")" + outerFilter + " AS m" + g + "_s" + i);
            }
            for (int i = 0; i < vars.size(); i++) {
                for (int j = i; j < vars.size(); j++) {
                    outer.add("fsum(" + vars.get(i) + " * " + vars.get(j) + ")" + outerFilter + " AS m" + g + "_p" + i + "_" + j);
                }
            }
        }
        ReductionPlan.Fidelity f = plan.fidelity();
        unitCounter(per, outer, "c_exec_known", f.executedArm().map(e -> "count(" + Sql.id(e) + ")"));
        unitCounter(per, outer, "c_exec_mismatch", f.executedArm().map(e -> "count(*) FILTER (WHERE " + text(e) + " <> "
                + rawArm + ")"));
        unitCounter(per, outer, "c_fallback", f.fallbackReason().map(e -> "count(*) FILTER (WHERE " + Sql.id(e)
                + " IS NOT NULL AND CAST(" + Sql.id(e) + " AS VARCHAR) <> '')"));
        unitCounter(per, outer, "c_timeout", f.timedOut().map(e -> "count(*) FILTER (WHERE TRY_CAST(" + Sql.id(e)
                + " AS BOOLEAN))"));
        unitCounter(per, outer, "c_before", plan.exposure().map(x -> "count(*) FILTER (WHERE CAST("
                + Sql.id(x.timeColumn()) + " AS TIMESTAMPTZ) < CAST(" + Sql.str(x.start().toString()) + " AS TIMESTAMPTZ))"));
        String source = from(plan);
        String sql = "WITH per_unit AS (SELECT " + String.join(",\n  ", per) + "\n FROM " + source
                + " GROUP BY " + unit + ")\nSELECT " + String.join(",\n  ", outer)
                + "\nFROM per_unit GROUP BY " + String.join(", ", keys);
        Reduction units = singleThreaded(() -> collect(plan, sql, true, Map.of(), Map.of()));
        if (plan.quantiles().isEmpty()) {
            return units;
        }
        return new Reduction(units.rows(), units.cells(), units.armLabelCounts(), units.counters(), rowQuantiles(plan));
    }

    /**
     * Runs a reduction on one DuckDB thread. Per-unit sums gather each unit's rows from all over the file; on several
     * threads DuckDB combines their partial floating-point sums in a schedule-dependent order, and the last bits of
     * the result (and so the readout's bytes) would vary between runs. One thread makes the order the file's.
     */
    private <T> T singleThreaded(java.util.function.Supplier<T> work) {
        try (Statement s = connection.createStatement()) {
            s.execute("SET threads = 1");
            try {
                return work.get();
            } finally {
                s.execute("RESET threads");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot set DuckDB threads: " + e.getMessage(), e);
        }
    }

    /**
     * A unit's value at its first row by time, ties on time broken by the smaller value: the minimum of
     * {@code (time, value)} over rows where both are present. ({@code arg_min} keeps whichever tied row it meets first,
     * which depends on the scan; the Spark engine uses the same rule, so both agree.)
     */
    private static String firstByTime(String value, String time) {
        return "(min({'t': " + time + ", 'v': " + value + "}) FILTER (WHERE " + time + " IS NOT NULL AND " + value
                + " IS NOT NULL)).v";
    }

    private static void unitCounter(List<String> per, List<String> outer, String name, Optional<String> agg) {
        if (agg.isPresent()) {
            per.add(agg.get() + " AS " + name);
            outer.add("sum(" + name + ") AS " + name);
        } else {
            outer.add("-1 AS " + name);
        }
    }

    /** Row-level quantiles per declared arm (and pooled) by exact bucket refinement: two cheap columnar scans. */
    private Map<String, Map<String, double[]>> rowQuantiles(ReductionPlan plan) {
        String from = from(plan);
        BucketScan kept = new BucketScan() { // the plan's rows only (a time-block key drops washout rows)
            @Override
            public List<Map<String, List<Bucket>>> histograms(LogSource source, String armColumn, List<String> labels,
                                                              List<HistogramRequest> requests) {
                return histogramsFrom(source, from, armColumn, labels, requests);
            }

            @Override
            public List<Extracted> extract(LogSource source, String armColumn, List<Extraction> extractions) {
                return extractFrom(source, from, armColumn, extractions);
            }
        };
        return ExactQuantiles.compute(kept, plan.source(), plan.armColumn(), plan.armLabels(), plan.quantiles());
    }

    /**
     * The rows a plan reduces: the whole log, or for a time-block key the rows at or after the origin and past their
     * block's washout, with the block number as {@code __verdict_block}.
     */
    private String from(ReductionPlan plan) {
        Optional<UnitKey.TimeBlocks> tb = plan.timeBlocks();
        if (tb.isEmpty()) {
            return from(plan.source());
        }
        UnitKey.TimeBlocks k = tb.get();
        String o = Long.toString(k.origin());
        String b = Long.toString(k.blockSeconds());
        return "(SELECT *, (__verdict_sec - " + o + ") // " + b + " AS __verdict_block FROM (SELECT *, "
                + epochSecond(k.timeColumn()) + " AS __verdict_sec FROM " + from(plan.source()) + ") WHERE __verdict_sec >= "
                + o + " AND (__verdict_sec - " + o + ") % " + b + " >= " + k.washoutSeconds() + ") AS kept";
    }

    /** The UTC epoch second of a time column, by integer arithmetic as the panels compute it. */
    private static String epochSecond(String timeColumn) {
        return "CAST(floor(epoch_ms(CAST(" + Sql.id(timeColumn) + " AS TIMESTAMPTZ)) / 1000.0) AS BIGINT)";
    }

    /** The GROUP BY expressions of a plan's unit key. */
    private List<String> unitKeys(ReductionPlan plan) {
        UnitKey key = plan.unit().orElseThrow();
        if (key instanceof UnitKey.TimeBlocks tb) {
            List<String> out = new ArrayList<>();
            tb.by().ifPresent(b -> out.add(text(b)));
            out.add("__verdict_block");
            return out;
        }
        return List.of(Sql.id(((UnitKey.Column) key).column()));
    }

    @Override
    public UnitKey.Exclusions exclusions(ReductionPlan plan) {
        Optional<UnitKey.TimeBlocks> tb = plan.timeBlocks();
        if (tb.isEmpty()) {
            return UnitKey.Exclusions.NONE;
        }
        typesOf(plan.source());
        UnitKey.TimeBlocks k = tb.get();
        String o = Long.toString(k.origin());
        String sql = "SELECT count(*) FILTER (WHERE sec IS NULL), count(*) FILTER (WHERE sec < " + o + "), count(*) "
                + "FILTER (WHERE sec >= " + o + " AND (sec - " + o + ") % " + k.blockSeconds() + " < " + k.washoutSeconds()
                + ") FROM (SELECT " + epochSecond(k.timeColumn()) + " AS sec FROM " + from(plan.source()) + ")";
        try (Statement s = connection.createStatement(); ResultSet rs = query(s, sql)) {
            rs.next();
            return new UnitKey.Exclusions(rs.getLong(1), rs.getLong(2), rs.getLong(3));
        } catch (SQLException e) {
            throw dataError(plan, e);
        }
    }

    /**
     * One scan: per request a bucket number next to the value, grouped by {@code GROUPING SETS ((arm, b_0), (arm,
     * b_1), ...)} with count, min and max of each value; rows of undeclared labels are filtered out first.
     */
    @Override
    public List<Map<String, List<Bucket>>> histograms(LogSource source, String armColumn, List<String> labels,
                                                      List<HistogramRequest> requests) {
        typesOf(source);
        return histogramsFrom(source, from(source), armColumn, labels, requests);
    }

    private List<Map<String, List<Bucket>>> histogramsFrom(LogSource source, String from, String armColumn,
                                                           List<String> labels, List<HistogramRequest> requests) {
        List<String> inner = new ArrayList<>();
        inner.add(text(armColumn) + " AS arm_key");
        List<String> sets = new ArrayList<>();
        List<String> aggs = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            HistogramRequest r = requests.get(i);
            String x = dbl(r.column());
            inner.add(x + " AS v" + i);
            inner.add(bucket(x, r.function()) + " AS b" + i);
            sets.add("(arm_key, b" + i + ")");
            aggs.add("b" + i + ", grouping(b" + i + ") AS g" + i + ", min(v" + i + ") AS lo" + i + ", max(v" + i + ") AS hi" + i);
        }
        // grouped by every label (testing each row's label would cost more); undeclared labels are dropped below
        String sql = "SELECT arm_key, count(*) AS n, " + String.join(", ", aggs) + " FROM (SELECT "
                + String.join(", ", inner) + " FROM " + from + ") GROUP BY GROUPING SETS ("
                + String.join(", ", sets) + ")";
        List<Map<String, TreeMap<Long, Bucket>>> acc = new ArrayList<>();
        requests.forEach(r -> acc.add(new TreeMap<>()));
        try (Statement s = connection.createStatement(); ResultSet rs = query(s, sql)) {
            while (rs.next()) {
                for (int i = 0; i < requests.size(); i++) {
                    if (rs.getInt("g" + i) != 0) {
                        continue;
                    }
                    long b = rs.getLong("b" + i);
                    if (rs.wasNull() || !labels.contains(label(rs.getString("arm_key")))) {
                        break; // the value is missing or outside a linear request's interval
                    }
                    acc.get(i).computeIfAbsent(rs.getString("arm_key"), k -> new TreeMap<>())
                            .put(b, new Bucket(b, rs.getLong("n"), rs.getDouble("lo" + i), rs.getDouble("hi" + i)));
                    break;
                }
            }
        } catch (SQLException e) {
            throw dataError(source, e);
        }
        return BucketScan.answer(acc);
    }

    /**
     * A condition true when {@code x} lies in one of the intervals (sorted by low end): a range test DuckDB can push into the scan,
     * then a binary search written as nested {@code CASE}, so each row costs a few comparisons however many intervals.
     */
    private static String inAny(String x, List<double[]> intervals) {
        List<double[]> sorted = new ArrayList<>();
        for (double[] v : intervals) { // sorted by low end; overlapping intervals (an arm's and the pooled) are merged
            double[] last = sorted.isEmpty() ? null : sorted.get(sorted.size() - 1);
            if (last != null && v[0] <= last[1]) {
                last[1] = Math.max(last[1], v[1]);
            } else {
                sorted.add(new double[] {v[0], v[1]});
            }
        }
        double lo = sorted.stream().mapToDouble(v -> v[0]).min().orElseThrow();
        double hi = sorted.stream().mapToDouble(v -> v[1]).max().orElseThrow();
        return "(" + x + " >= " + Sql.exact(lo) + " AND " + x + " <= " + Sql.exact(hi) + " AND " + search(x, sorted) + ")";
    }

    private static String search(String x, List<double[]> sorted) {
        if (sorted.size() == 1) {
            return "(" + x + " >= " + Sql.exact(sorted.get(0)[0]) + " AND " + x + " <= " + Sql.exact(sorted.get(0)[1]) + ")";
        }
        int m = sorted.size() / 2;
        return "CASE WHEN " + x + " < " + Sql.exact(sorted.get(m)[0]) + " THEN " + search(x, sorted.subList(0, m))
                + " ELSE " + search(x, sorted.subList(m, sorted.size())) + " END";
    }

    /** The SQL of a {@link BucketFunction} of a DOUBLE expression (see its javadoc for the definition). */
    private static String bucket(String x, BucketFunction f) {
        if (f instanceof Log) {
            int k = Log.SCALE;
            return "CASE WHEN " + x + " > 0 THEN 2000000 + CAST(floor(ln(" + x + ") * " + k + ") AS BIGINT) WHEN " + x
                    + " = 0 THEN 1000000 WHEN " + x + " < 0 THEN -CAST(floor(ln(-" + x + ") * " + k + ") AS BIGINT) END";
        }
        Linear l = (Linear) f;
        String lo = Sql.exact(l.low());
        String hi = Sql.exact(l.high());
        return "CASE WHEN " + x + " BETWEEN " + lo + " AND " + hi + " THEN least(CAST(floor((" + x + " / 2 - " + lo
                + " / 2) / (" + hi + " / 2 - " + lo + " / 2) * " + l.buckets() + ") AS BIGINT), " + (l.buckets() - 1)
                + ") END";
    }

    /**
     * One scan: per extraction the count of the interval's values and, sorted inside DuckDB, the values at the
     * requested positions; only those cross JDBC.
     */
    @Override
    public List<Extracted> extract(LogSource source, String armColumn, List<Extraction> extractions) {
        typesOf(source);
        return extractFrom(source, from(source), armColumn, extractions);
    }

    private List<Extracted> extractFrom(LogSource source, String from, String armColumn, List<Extraction> extractions) {
        Map<String, java.util.TreeSet<double[]>> intervals = new TreeMap<>();
        java.util.TreeSet<String> columns = new java.util.TreeSet<>();
        List<String> member = new ArrayList<>();
        List<String> value = new ArrayList<>();
        List<String> picks = new ArrayList<>();
        for (int i = 0; i < extractions.size(); i++) {
            Extraction e = extractions.get(i);
            columns.add(e.column());
            intervals.computeIfAbsent(e.column(), c -> new java.util.TreeSet<>((a, b) -> a[0] != b[0]
                    ? Double.compare(a[0], b[0]) : Double.compare(a[1], b[1]))).add(new double[] {e.low(), e.high()});
            member.add("CASE WHEN arm_key IN (" + e.labels().stream().map(Sql::str).collect(Collectors.joining(", "))
                    + ") AND " + Sql.id(e.column()) + " BETWEEN " + Sql.exact(e.low()) + " AND " + Sql.exact(e.high())
                    + " THEN " + i + " END");
            value.add("WHEN " + i + " THEN " + Sql.id(e.column()));
            picks.add("WHEN " + i + " THEN " + e.positions().stream().map(p -> "l[" + (p + 1) + "]")
                    .collect(Collectors.joining(", ", "[", "]")));
        }
        // the narrow intervals select few rows; each selected row is then listed once per extraction it belongs to
        String selected = "SELECT " + columns.stream().map(c -> dbl(c) + " AS " + Sql.id(c)).collect(Collectors.joining(", "))
                + ", " + text(armColumn) + " AS arm_key FROM " + from + " WHERE " + intervals.entrySet().stream()
                .map(c -> inAny(dbl(c.getKey()), List.copyOf(c.getValue()))).collect(Collectors.joining(" OR "));
        String listed = "SELECT unnest([" + String.join(", ", member) + "]) AS idx, * FROM (" + selected + ")";
        String grouped = "SELECT idx, count(*) AS n, list_sort(list(CASE idx " + String.join(" ", value) + " END)) AS l FROM ("
                + listed + ") WHERE idx IS NOT NULL GROUP BY idx";
        String sql = "SELECT idx, n, CASE idx " + String.join(" ", picks) + " END AS x FROM (" + grouped + ") ORDER BY idx";
        Extracted[] found = new Extracted[extractions.size()];
        try (Statement s = connection.createStatement(); ResultSet rs = query(s, sql)) {
            while (rs.next()) {
                int i = rs.getInt("idx");
                Object[] raw = (Object[]) rs.getArray("x").getArray();
                double[] values = new double[raw.length];
                for (int j = 0; j < raw.length; j++) {
                    values[j] = raw[j] == null ? Double.NaN : ((Number) raw[j]).doubleValue();
                }
                found[i] = new Extracted(rs.getLong("n"), values);
            }
        } catch (SQLException e) {
            throw dataError(source, e);
        }
        List<Extracted> out = new ArrayList<>();
        for (int i = 0; i < found.length; i++) {
            out.add(found[i] != null ? found[i] : new Extracted(0, new double[0]));
        }
        return out;
    }

    // ---------------------------------------------------------------- shared

    /**
     * Reads the fine cells and merges them, in the sorted order of their keys (so the result does not depend on
     * the engine's thread schedule), into the cells of the reduction: per declared arm, and per (arm, segment value).
     */
    private Reduction collect(ReductionPlan plan, String sql, boolean unitLevel, Map<String, Double> shift,
                              Map<String, Integer> scales) {
        List<FineCell> fine = new ArrayList<>();
        try (Statement s = connection.createStatement(); ResultSet rs = query(s, sql)) {
            while (rs.next()) {
                String armLabel = label(rs.getString("arm_key"));
                List<String> segs = new ArrayList<>();
                for (int sg = 0; sg < plan.segments().size(); sg++) {
                    segs.add(label(rs.getString("seg_" + sg)));
                }
                long nRows = rs.getLong("n_rows");
                long nUnits = unitLevel ? rs.getLong("n_units") : nRows;
                Map<String, Moments> moments = new LinkedHashMap<>();
                if (plan.armLabels().contains(armLabel)) {
                    for (int g = 0; g < plan.groups().size(); g++) {
                        moments.put(plan.groups().get(g).name(), readMoments(rs, plan.groups().get(g), g, unitLevel, shift, scales));
                    }
                }
                long[] counters = {rs.getLong("c_exec_mismatch"), rs.getLong("c_exec_known"), rs.getLong("c_fallback"),
                        rs.getLong("c_timeout"), rs.getLong("c_before")};
                fine.add(new FineCell(armLabel, segs, nRows, nUnits, unitLevel ? rs.getLong("c_mixed") : -1, moments,
                        counters));
            }
        } catch (SQLException e) {
            throw dataError(plan, e);
        }
        return FineCells.assemble(plan, fine, unitLevel);
    }

    /**
     * Moments of one fine cell from its count, (shifted) sums and sums of products. For a request-level reduction the
     * SQL vector is {@code [values..., covariate?]} and the constant count 1 is inserted at the group's count index;
     * for a unit-level reduction the SQL vector is the group's layout {@code [sums..., count, covariate?]}.
     */
    private static Moments readMoments(ResultSet rs, VariableGroup group, int g, boolean unitLevel,
                                       Map<String, Double> shift, Map<String, Integer> scales) throws SQLException {
        long n = rs.getLong("m" + g + "_n");
        int k = unitLevel ? group.dimension() : group.allColumns().size();
        double[] c = new double[k];
        for (int i = 0; i < k && !unitLevel; i++) {
            c[i] = shift.getOrDefault(group.allColumns().get(i), 0.0);
        }
        return ExactSums.groupMoments(group, n, c, ExactSums.read(k, n, "m" + g + "_s", "m" + g + "_p",
                alias -> unscaled(rs, alias, scales)), unitLevel);
    }

    /**
     * One aggregation grouped by (unit, period start): per cell the count and the exact sums of the outcomes and of
     * their products (the same scaled integer sums as a request-level reduction), so that panels are identical on
     * every run and equal Spark's. The period start is integer arithmetic on the epoch second, so periods are UTC
     * whatever the session's time zone.
     */
    @Override
    public Panel panel(Panel.Request r) {
        typesOf(r.source());
        List<String> cols = r.outcomes();
        Map<String, Double> shift = pilot(r.source(), new java.util.TreeSet<>(cols));
        Bounds bounds = bounds(r.source(), new java.util.TreeSet<>(cols));
        String sec = epochSecond(r.timeColumn());
        String start = switch (r.period()) {
            case HOUR, DAY -> "(sec - ((sec % " + r.period().seconds() + ") + " + r.period().seconds() + ") % "
                    + r.period().seconds() + ")";
            case WEEK -> "((day - (((day - 4) % 7) + 7) % 7) * 86400)";
        };
        List<String> inner = new ArrayList<>();
        inner.add(text(r.unitColumn()) + " AS u");
        inner.add(sec + " AS sec");
        List<String> complete = new ArrayList<>(List.of(Sql.id(r.unitColumn()) + " IS NOT NULL",
                Sql.id(r.timeColumn()) + " IS NOT NULL"));
        for (int i = 0; i < cols.size(); i++) {
            inner.add("(" + dbl(cols.get(i)) + " - " + Sql.exact(shift.get(cols.get(i))) + ") AS v" + i);
            complete.add(Sql.id(cols.get(i)) + " IS NOT NULL");
        }
        List<String> select = new ArrayList<>(List.of("u", "p", "count(*) AS n"));
        Map<String, Integer> scales = new java.util.HashMap<>();
        List<String> centred = java.util.stream.IntStream.range(0, cols.size()).mapToObj(i -> "v" + i).toList();
        addExactSums(select, cols, centred, shift, bounds, "s", "p", "", scales);
        String sql = "SELECT " + String.join(", ", select) + " FROM (SELECT *, " + start + " AS p FROM (SELECT *, "
                + "(sec - ((sec % 86400) + 86400) % 86400) // 86400 AS day FROM (SELECT " + String.join(", ", inner)
                + " FROM " + from(r.source()) + " WHERE " + String.join(" AND ", complete) + "))) GROUP BY u, p ORDER BY u, p";
        double[] c = cols.stream().mapToDouble(shift::get).toArray();
        List<Panel.Row> rows = new ArrayList<>();
        long used = 0;
        try (Statement s = connection.createStatement(); ResultSet rs = query(s, sql)) {
            while (rs.next()) {
                long n = rs.getLong("n");
                used += n;
                ExactSums.Sums sums = ExactSums.read(cols.size(), n, "s", "p", alias -> unscaled(rs, alias, scales));
                rows.add(new Panel.Row(rs.getString("u"), rs.getLong("p"), Moments.ofShiftedSums(n, c, sums.sums(),
                        sums.products())));
            }
        } catch (SQLException e) {
            throw dataError(r.source(), e);
        }
        return new Panel(cols, rows, bounds.rows() - used);
    }

    /**
     * One sorted scan of the complete rows ({@code ORDER BY} the numeric then the text columns), stopping with an input
     * error past the limit; a second count gives the rows left out.
     */
    @Override
    public dev.verdict.reduce.Rows rows(dev.verdict.reduce.Rows.Request r) {
        typesOf(r.source());
        List<String> select = new ArrayList<>();
        List<String> where = new ArrayList<>();
        List<String> order = new ArrayList<>();
        for (int i = 0; i < r.numeric().size(); i++) {
            select.add(dbl(r.numeric().get(i)) + " AS n" + i);
            where.add("isfinite(n" + i + ")");
            order.add("n" + i);
        }
        for (int i = 0; i < r.text().size(); i++) {
            select.add(text(r.text().get(i)) + " AS t" + i);
            where.add("t" + i + " IS NOT NULL");
            order.add("t" + i);
        }
        String sql = "SELECT * FROM (SELECT " + String.join(", ", select) + " FROM " + from(r.source()) + ") WHERE "
                + String.join(" AND ", where) + " ORDER BY " + String.join(", ", order);
        List<double[]> nums = new ArrayList<>();
        List<String[]> texts = new ArrayList<>();
        long total;
        try (Statement s = connection.createStatement()) {
            try (ResultSet rs = query(s, sql)) {
                while (rs.next()) {
                    if (nums.size() == r.limit()) {
                        throw InputException.data("the design reads individual rows into memory and the log has more "
                                + "than " + r.limit() + " complete rows of " + String.join(", ", r.numeric()) + "; "
                                + "filter or sample the log to at most " + r.limit() + " rows");
                    }
                    double[] n = new double[r.numeric().size()];
                    for (int i = 0; i < n.length; i++) {
                        n[i] = rs.getDouble(i + 1);
                    }
                    String[] t = new String[r.text().size()];
                    for (int i = 0; i < t.length; i++) {
                        t[i] = rs.getString(n.length + i + 1);
                    }
                    nums.add(n);
                    texts.add(t);
                }
            }
            try (ResultSet rs = query(s, "SELECT count(*) FROM " + from(r.source()))) {
                rs.next();
                total = rs.getLong(1);
            }
        } catch (SQLException e) {
            throw dataError(r.source(), e);
        }
        return dev.verdict.reduce.RowsBuilder.of(r, nums, texts, total);
    }

    /** A column of the answer divided by its power-of-two scale, if it has one (exact). */
    private static double unscaled(ResultSet rs, String alias, Map<String, Integer> scales) {
        try {
            double v = rs.getDouble(alias);
            Integer k = scales.get(alias);
            return k == null ? v : Math.scalb(v, -k);
        } catch (SQLException e) { // a column of our own SELECT; reading it does not fail on data
            throw new IllegalStateException("cannot read " + alias + ": " + e.getMessage(), e);
        }
    }

    /**
     * One {@code GROUP BY (by, block)} over the plan's kept rows of declared arms with every column of the group
     * present: {@code min(arm)}, {@code count(DISTINCT arm)}, and per half the row count and {@code fsum} (DuckDB's
     * compensated sum) of each column.
     */
    @Override
    public dev.verdict.reduce.BlockSums blockSums(ReductionPlan plan, VariableGroup group) {
        UnitKey.TimeBlocks k = plan.timeBlocks().orElseThrow(() -> new IllegalArgumentException(
                "blockSums needs a plan whose unit is a time block"));
        typesOf(plan.source());
        String arm = text(plan.armColumn());
        List<String> cols = group.columns();
        List<String> where = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        plan.armLabels().forEach(l -> labels.add(Sql.str(l)));
        where.add(arm + " IN (" + String.join(", ", labels) + ")");
        cols.forEach(c -> where.add(dbl(c) + " IS NOT NULL"));
        String half = "CASE WHEN (__verdict_sec - " + k.origin() + ") % " + k.blockSeconds() + " >= "
                + dev.verdict.reduce.BlockSums.halfStart(k) + " THEN 1 ELSE 0 END";
        List<String> select = new ArrayList<>();
        List<String> groupBy = new ArrayList<>();
        if (k.by().isPresent()) {
            select.add(text(k.by().get()) + " AS by_key");
            groupBy.add("by_key");
        }
        select.add("__verdict_block AS blk");
        groupBy.add("blk");
        select.add("min(" + arm + ") AS arm_key");
        select.add("count(DISTINCT " + arm + ") AS arms");
        for (int h = 0; h < 2; h++) {
            select.add("count(*) FILTER (WHERE __verdict_half = " + h + ") AS n" + h);
            for (int j = 0; j < cols.size(); j++) {
                select.add("fsum(" + dbl(cols.get(j)) + ") FILTER (WHERE __verdict_half = " + h + ") AS s" + h + "_" + j);
            }
        }
        String sql = "SELECT " + String.join(", ", select) + " FROM (SELECT *, " + half + " AS __verdict_half FROM "
                + from(plan) + ") WHERE " + String.join(" AND ", where) + " GROUP BY " + String.join(", ", groupBy)
                + " ORDER BY " + String.join(", ", groupBy);
        List<dev.verdict.reduce.BlockSums.Block> blocks = new ArrayList<>();
        try (Statement s = connection.createStatement(); ResultSet rs = query(s, sql)) {
            while (rs.next()) {
                Optional<String> by = k.by().isPresent() ? Optional.of(label(rs.getString("by_key"))) : Optional.empty();
                dev.verdict.reduce.BlockSums.Half[] halves = new dev.verdict.reduce.BlockSums.Half[2];
                for (int h = 0; h < 2; h++) {
                    double[] sums = new double[cols.size()];
                    long rows = rs.getLong("n" + h);
                    for (int j = 0; j < sums.length; j++) {
                        // fsum over no row gives NULL or NaN: an empty half sums to 0
                        sums[j] = rows == 0 ? 0 : rs.getDouble("s" + h + "_" + j);
                    }
                    halves[h] = new dev.verdict.reduce.BlockSums.Half(rows, sums);
                }
                blocks.add(new dev.verdict.reduce.BlockSums.Block(by, rs.getLong("blk"), rs.getString("arm_key"),
                        rs.getInt("arms"), halves[0], halves[1]));
            }
        } catch (SQLException e) {
            throw dataError(plan, e);
        }
        blocks.sort(java.util.Comparator.comparing((dev.verdict.reduce.BlockSums.Block b) -> b.by().orElse(""))
                .thenComparingLong(dev.verdict.reduce.BlockSums.Block::block));
        return new dev.verdict.reduce.BlockSums(cols, blocks);
    }

    /**
     * One {@code GROUP BY (by, block, arm)} over the plan's kept rows of declared arms with the column present:
     * {@code count(*)} and {@code quantile_cont}, DuckDB's type 7, whose interpolation is
     * {@link dev.verdict.reduce.ExactQuantiles#type7}'s to the bit (Spark ranks the values and interpolates with it).
     */
    @Override
    public dev.verdict.reduce.CellQuantiles cellQuantiles(ReductionPlan plan, String column, double probability) {
        UnitKey.TimeBlocks k = plan.timeBlocks().orElseThrow(() -> new IllegalArgumentException(
                "cellQuantiles needs a plan whose unit is a time block"));
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("quantile probability must be in [0, 1], got " + probability);
        }
        typesOf(plan.source());
        String arm = text(plan.armColumn());
        List<String> labels = new ArrayList<>();
        plan.armLabels().forEach(l -> labels.add(Sql.str(l)));
        List<String> select = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        if (k.by().isPresent()) {
            select.add(text(k.by().get()) + " AS by_key");
            keys.add("by_key");
        }
        select.add("__verdict_block AS blk");
        select.add(arm + " AS arm_key");
        keys.add("blk");
        keys.add("arm_key");
        String v = dbl(column);
        String sql = "SELECT " + String.join(", ", select) + ", count(*) AS n, quantile_cont(" + v + ", "
                + Sql.exact(probability) + ") AS q FROM " + from(plan) + " WHERE " + arm + " IN (" + String.join(", ",
                labels) + ") AND " + v + " IS NOT NULL GROUP BY " + String.join(", ", keys);
        List<dev.verdict.reduce.CellQuantiles.Cell> cells = new ArrayList<>();
        try (Statement s = connection.createStatement(); ResultSet rs = query(s, sql)) {
            while (rs.next()) {
                Optional<String> by = k.by().isPresent() ? Optional.of(label(rs.getString("by_key"))) : Optional.empty();
                cells.add(new dev.verdict.reduce.CellQuantiles.Cell(by, rs.getLong("blk"), rs.getString("arm_key"),
                        rs.getLong("n"), rs.getDouble("q")));
            }
        } catch (SQLException e) {
            throw dataError(plan, e);
        }
        return new dev.verdict.reduce.CellQuantiles(column, probability, cells);
    }

    @Override
    public Map<String, Moments> unitCountsBelow(ReductionPlan plan, String column, Map<String, Double> thresholdByArm) {
        typesOf(plan.source());
        String rawArm = text(plan.armColumn());
        String armExpr = plan.exposure().map(x -> firstByTime(rawArm, Sql.id(x.timeColumn())))
                .orElse("min(" + rawArm + ")");
        String c = "CAST(" + Sql.id(column) + " AS DOUBLE)";
        StringBuilder threshold = new StringBuilder("CASE " + rawArm);
        for (var e : new TreeMap<>(thresholdByArm).entrySet()) {
            threshold.append(" WHEN ").append(Sql.str(e.getKey())).append(" THEN ").append(Sql.dbl(e.getValue()));
        }
        threshold.append(" END");
        // integer sums are exact whatever the thread schedule, so the moments are deterministic
        String sql = "WITH per_unit AS (SELECT " + armExpr + " AS arm_key, count(*) FILTER (WHERE " + c + " <= "
                + threshold + ") AS below, count(" + c + ") AS present FROM " + from(plan) + " GROUP BY "
                + String.join(", ", unitKeys(plan)) + ") SELECT arm_key, count(*) AS n, sum(below) AS s0, "
                + "sum(present) AS s1, sum(below * below) AS p00, sum(below * present) AS p01, "
                + "sum(present * present) AS p11 FROM per_unit GROUP BY arm_key";
        Map<String, Moments> out = new TreeMap<>();
        try (Statement s = connection.createStatement(); ResultSet rs = query(s, sql)) {
            while (rs.next()) {
                String arm = label(rs.getString("arm_key"));
                if (!thresholdByArm.containsKey(arm)) {
                    continue;
                }
                long n = rs.getLong("n");
                java.math.BigDecimal bn = java.math.BigDecimal.valueOf(n);
                java.math.BigDecimal s0 = rs.getBigDecimal("s0");
                java.math.BigDecimal s1 = rs.getBigDecimal("s1");
                java.math.MathContext mc = java.math.MathContext.DECIMAL128;
                double c00 = rs.getBigDecimal("p00").subtract(s0.multiply(s0).divide(bn, mc)).doubleValue();
                double c01 = rs.getBigDecimal("p01").subtract(s0.multiply(s1).divide(bn, mc)).doubleValue();
                double c11 = rs.getBigDecimal("p11").subtract(s1.multiply(s1).divide(bn, mc)).doubleValue();
                out.put(arm, Moments.ofComoments(n, new double[] {s0.divide(bn, mc).doubleValue(),
                        s1.divide(bn, mc).doubleValue()}, new double[][] {{c00, c01}, {c01, c11}}));
            }
        } catch (SQLException e) {
            throw dataError(plan, e);
        }
        return out;
    }

    /**
     * One {@code GROUP BY cluster} aggregation: per cluster {@code count(*)}, {@code fsum(x_i * x_j)} for
     * i &lt;= j, {@code fsum(x_i * y)}, {@code fsum(y)} and {@code fsum(y * y)} over the complete rows,
     * plus the count of incomplete rows. {@code fsum} is DuckDB's compensated (Kahan) sum, so the sums
     * do not depend on how threads split the scan beyond the last bits.
     */
    @Override
    public ClusterBlockReduction clusterBlocks(LogSource source, String clusterColumn, List<String> xColumns,
                                               String yColumn) {
        typesOf(source);
        int p = xColumns.size();
        int k = p + 1;
        List<String> inner = new ArrayList<>();
        inner.add(text(clusterColumn) + " AS cl");
        List<String> present = new ArrayList<>();
        present.add("cl IS NOT NULL");
        for (int i = 0; i < p; i++) {
            inner.add(dbl(xColumns.get(i)) + " AS x" + i);
            present.add("x" + i + " IS NOT NULL");
        }
        inner.add(dbl(yColumn) + " AS y");
        present.add("y IS NOT NULL");
        String ok = " FILTER (WHERE ok)";
        List<String> select = new ArrayList<>();
        select.add("cl");
        select.add("count(*)" + ok + " AS n");
        select.add("count(*) FILTER (WHERE NOT ok) AS dropped");
        for (int i = 0; i < p; i++) {
            select.add("fsum(x" + i + ")" + ok + " AS s" + i);
            for (int j = i; j < p; j++) {
                select.add("fsum(x" + i + " * x" + j + ")" + ok + " AS s" + i + "_" + j);
            }
            select.add("fsum(x" + i + " * y)" + ok + " AS s" + i + "_y");
        }
        select.add("fsum(y)" + ok + " AS sy");
        select.add("fsum(y * y)" + ok + " AS syy");
        String sql = "SELECT " + String.join(", ", select) + " FROM (SELECT *, " + String.join(" AND ", present)
                + " AS ok FROM (SELECT " + String.join(", ", inner) + " FROM " + from(source)
                + ") AS typed) AS src GROUP BY cl ORDER BY cl";
        List<ClusterBlock> blocks = new ArrayList<>();
        long used = 0;
        long dropped = 0;
        try (Statement s = connection.createStatement(); ResultSet rs = query(s, sql)) {
            while (rs.next()) {
                long n = rs.getLong("n");
                dropped += rs.getLong("dropped");
                if (n == 0) {
                    continue;
                }
                used += n;
                double[][] xtx = new double[k][k];
                double[] xty = new double[k];
                xtx[0][0] = n;
                xty[0] = rs.getDouble("sy");
                for (int i = 0; i < p; i++) {
                    xtx[0][i + 1] = rs.getDouble("s" + i);
                    xtx[i + 1][0] = xtx[0][i + 1];
                    for (int j = i; j < p; j++) {
                        xtx[i + 1][j + 1] = rs.getDouble("s" + i + "_" + j);
                        xtx[j + 1][i + 1] = xtx[i + 1][j + 1];
                    }
                    xty[i + 1] = rs.getDouble("s" + i + "_y");
                }
                blocks.add(ClusterBlock.of(n, xtx, xty, rs.getDouble("syy")));
            }
        } catch (SQLException e) {
            throw regressionError(source, e);
        }
        List<String> names = new ArrayList<>();
        names.add("(Intercept)");
        names.addAll(xColumns);
        return new ClusterBlockReduction(names, blocks, used, dropped);
    }

    private static InputException regressionError(LogSource source, SQLException e) {
        String msg = firstLine(e);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("column \"([A-Za-z0-9_]+)\"",
                java.util.regex.Pattern.CASE_INSENSITIVE).matcher(msg);
        String where = m.find() ? "column '" + m.group(1) + "'" : "spec key 'data'";
        if (msg.contains("Could not convert") || msg.contains("Conversion Error")) {
            return InputException.data(where + ": a value cannot be read as a number (" + msg
                    + "); clean the column or remap it in spec key 'columns'", e);
        }
        return InputException.data(where + ": DuckDB could not compute cluster blocks from "
                + String.join(", ", source.paths()) + ": " + msg, e);
    }

    private static String label(String s) {
        return s == null ? Reduction.NULL_LABEL : s;
    }

    /** The column as a DOUBLE expression; no cast when the log already stores it as DOUBLE (casts cost per row). */
    private String dbl(String column) {
        return "DOUBLE".equals(types.get(column)) ? Sql.id(column) : "CAST(" + Sql.id(column) + " AS DOUBLE)";
    }

    /** The column as a VARCHAR expression; no cast when the log already stores it as VARCHAR. */
    private String text(String column) {
        return "VARCHAR".equals(types.get(column)) ? Sql.id(column) : "CAST(" + Sql.id(column) + " AS VARCHAR)";
    }

    /** Reads the column types of the source the next statements run on, so that no-op casts are left out. */
    private void typesOf(LogSource source) {
        types.clear();
        String sql = "DESCRIBE SELECT * FROM " + from(source);
        try (Statement s = connection.createStatement(); ResultSet rs = query(s, sql)) {
            while (rs.next()) {
                types.put(rs.getString("column_name"), rs.getString("column_type").toUpperCase(Locale.ROOT));
            }
        } catch (SQLException e) {
            throw InputException.data("spec key 'data': cannot read " + String.join(", ", source.paths()) + ": "
                    + firstLine(e), e);
        }
    }

    /** The table expression of a source: the files, and with {@link LogSource#since} only the rows it keeps. */
    private static String from(LogSource source) {
        List<String> paths = source.paths();
        String list = Sql.strList(paths);
        String files = switch (source.format()) {
            case PARQUET -> "read_parquet(" + list + ", union_by_name = true)";
            case CSV -> "read_csv(" + list + ", header = true, union_by_name = true)";
            case TABLE -> throw InputException.spec("spec key 'format': 'table' is read by the Spark engine; run with "
                    + "--engine spark");
        };
        return source.since().map(x -> "(SELECT * FROM " + files + " WHERE coalesce(CAST(" + Sql.id(x.timeColumn())
                + " AS TIMESTAMPTZ) >= CAST(" + Sql.str(x.from().toString()) + " AS TIMESTAMPTZ), true)) AS __verdict_log")
                .orElse(files);
    }

    private static ColumnKind kind(String duckType) {
        String t = duckType.toUpperCase(Locale.ROOT);
        if (t.equals("BOOLEAN")) {
            return ColumnKind.BOOLEAN;
        }
        if (t.matches("(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|REAL)")
                || t.startsWith("DECIMAL")) {
            return ColumnKind.NUMERIC;
        }
        if (t.startsWith("VARCHAR") || t.equals("TEXT") || t.equals("STRING")) {
            return ColumnKind.TEXT;
        }
        if (t.startsWith("TIMESTAMP") || t.equals("DATE")) {
            return ColumnKind.TIMESTAMP;
        }
        return ColumnKind.OTHER;
    }

    private static InputException dataError(ReductionPlan plan, SQLException e) {
        return dataError(plan.source(), e);
    }

    private static InputException dataError(LogSource source, SQLException e) {
        String msg = firstLine(e);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("column \"([A-Za-z0-9_]+)\"", java.util.regex.Pattern.CASE_INSENSITIVE)
                .matcher(msg);
        String where = m.find() ? "column '" + m.group(1) + "'" : "spec key 'data'";
        if (msg.contains("Could not convert") || msg.contains("Conversion Error")) {
            return InputException.data(where + ": a value cannot be read as a number (" + msg
                    + "); clean the column or remap it in spec key 'columns'", e);
        }
        return InputException.data(where + ": DuckDB could not reduce " + String.join(", ", source.paths())
                + ": " + msg, e);
    }

    private static String firstLine(SQLException e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return (nl < 0 ? m : m.substring(0, nl)).trim();
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // closing an in-memory database cannot lose data; nothing to report
        }
    }

    /** Whether {@code -Dverdict.trace=true} asks for every statement and its wall time on standard error. */
    private static final boolean TRACE = Boolean.getBoolean("verdict.trace");

    /** Runs a query; with {@code -Dverdict.trace=true}, prints the SQL and the time to its result on standard error. */
    private static ResultSet query(Statement s, String sql) throws SQLException {
        if (!TRACE) {
            return s.executeQuery(sql);
        }
        long t0 = System.nanoTime();
        ResultSet rs = s.executeQuery(sql);
        System.err.printf(Locale.ROOT, "verdict: trace: duckdb %.3f s: %s%n", (System.nanoTime() - t0) / 1e9,
                sql.replace('\n', ' '));
        return rs;
    }

    /** For tests and benchmarks: runs one SQL statement and returns its first row's first column. */
    Object scalar(String sql) {
        try (Statement s = connection.createStatement(); ResultSet rs = query(s, sql)) {
            rs.next();
            return rs.getObject(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}

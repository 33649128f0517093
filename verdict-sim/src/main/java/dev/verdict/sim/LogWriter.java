package dev.verdict.sim;

import dev.verdict.InputException;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Writes the simulated request log in the canonical schema through DuckDB: rows stream into a staging table in an
 * on-disk scratch database with DuckDB's appender (codes, not strings, on the hot path), and {@link #finish()} copies
 * them out as Parquet or CSV with labels in one {@code COPY}. Memory stays bounded by DuckDB's buffer pool, not by the
 * run's length. DuckDB runs on one thread here so the file's bytes depend only on the rows.
 */
public final class LogWriter implements RequestSink, AutoCloseable {
    /** Output formats. */
    public enum Format { PARQUET, CSV }

    private final Path out;
    private final Format format;
    private final Scenario sc;
    private final List<String> clusterNames;
    private final Path scratch;
    private final DuckDBConnection conn;
    private DuckDBAppender appender;
    private final long startMicros;
    private long rows;
    private boolean finished;

    public LogWriter(Path out, Format format, Scenario scenario) {
        this.out = out;
        this.format = format;
        this.sc = scenario;
        this.clusterNames = scenario.supply().clusterNames();
        this.startMicros = scenario.start().getEpochSecond() * 1_000_000L;
        try {
            Path dir = out.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            scratch = Files.createTempFile(dir, ".verdict-sim-", ".duckdb");
            Files.delete(scratch);
            conn = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + scratch);
            try (Statement st = conn.createStatement()) {
                st.execute("SET threads = 1");
                st.execute("SET preserve_insertion_order = true");
                st.execute("CREATE TABLE stage (request_id BIGINT, ts_us BIGINT, user_id BIGINT, workspace_id BIGINT, "
                        + "cluster INTEGER, region INTEGER, arm INTEGER, executed_arm INTEGER, timed_out INTEGER, "
                        + "retries INTEGER, latency_ms DOUBLE, ttft_ms DOUBLE, error INTEGER, completed INTEGER, "
                        + "tokens_in INTEGER, tokens_out INTEGER, gpu_seconds DOUBLE, cost_usd DOUBLE, value_usd DOUBLE, "
                        + "queue_depth INTEGER, cache_hit INTEGER, kv_util DOUBLE, utilization DOUBLE, workload INTEGER, "
                        + "tier INTEGER, model INTEGER, context_tokens INTEGER, propensity DOUBLE)");
            }
            appender = conn.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "stage");
        } catch (SQLException | IOException e) {
            throw InputException.data("cannot open a scratch DuckDB database next to " + out + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void accept(LoggedRequest r) {
        try {
            appender.beginRow()
                    .append(r.requestId())
                    .append(startMicros + Math.round(r.ts() * 1e6))
                    .append(r.userId())
                    .append(r.workspaceId())
                    .append(r.cluster())
                    .append(r.region())
                    .append(r.arm())
                    .append(r.executedArm())
                    .append(r.timedOut() ? 1 : 0)
                    .append(r.retries())
                    .append(round3(r.latencyMs()))
                    .append(round3(r.ttftMs()))
                    .append(r.error() ? 1 : 0)
                    .append(r.completed() ? 1 : 0)
                    .append(r.tokensIn())
                    .append(r.tokensOut())
                    .append(r.gpuSeconds())
                    .append(r.costUsd())
                    .append(r.valueUsd())
                    .append(r.queueDepth())
                    .append(r.cacheHit() ? 1 : 0)
                    .append(r.kvUtil())
                    .append(r.utilization())
                    .append(r.workload())
                    .append(r.tier())
                    .append(r.model())
                    .append(r.contextTokens())
                    .append(r.propensity())
                    .endRow();
            rows++;
        } catch (SQLException e) {
            throw new IllegalStateException("DuckDB appender failed at row " + rows, e);
        }
    }

    private static double round3(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }

    public long rows() {
        return rows;
    }

    private static String list(List<String> labels) {
        return labels.stream().map(s -> "'" + s.replace("'", "''") + "'").collect(Collectors.joining(", ", "[", "]"));
    }

    /** The SELECT that turns staged codes into the canonical log. */
    private String select() {
        List<String> arms = List.of(sc.control().label(), sc.treatment().label());
        List<String> workloads = sc.demand().workloads().stream().map(Scenario.Workload::name).toList();
        List<String> tiers = java.util.Arrays.stream(Scenario.Tier.values()).map(Scenario.Tier::label).toList();
        List<String> models = sc.supply().models().stream().map(Scenario.Model::name).toList();
        return "SELECT request_id, make_timestamp(ts_us) AS ts, 'u' || user_id AS user_id, 'w' || workspace_id AS workspace_id, "
                + list(clusterNames) + "[cluster + 1] AS cluster, " + list(sc.supply().regions()) + "[region + 1] AS region, "
                + list(arms) + "[arm + 1] AS arm, " + list(arms) + "[executed_arm + 1] AS executed_arm, "
                + "CAST(NULL AS VARCHAR) AS fallback_reason, timed_out, retries, latency_ms, ttft_ms, error, completed, "
                + "tokens_in, tokens_out, gpu_seconds, cost_usd, value_usd, queue_depth, cache_hit, kv_util, utilization, "
                + list(workloads) + "[workload + 1] AS workload, " + list(tiers) + "[tier + 1] AS tier, "
                + list(models) + "[model + 1] AS model_family, context_tokens, propensity FROM stage";
    }

    @Override
    public void finish() {
        if (finished) {
            return;
        }
        finished = true;
        try {
            appender.close();
            String target = out.toAbsolutePath().toString().replace("'", "''");
            String options = format == Format.PARQUET ? "(FORMAT parquet, COMPRESSION zstd)" : "(FORMAT csv, HEADER true)";
            try (Statement st = conn.createStatement()) {
                st.execute("COPY (" + select() + ") TO '" + target + "' " + options);
            }
        } catch (SQLException e) {
            throw InputException.data("cannot write " + out + ": " + e.getMessage(), e);
        }
    }

    /** Writes the per-unit assignment table of a unit-hashed design (unit, arm) as CSV, from the staged rows. */
    public void writeUnitAssignment(Path file, String unitColumn) {
        String expr = switch (unitColumn) {
            case "request_id" -> "CAST(request_id AS VARCHAR)";
            case "user_id" -> "'u' || user_id";
            case "workspace_id" -> "'w' || workspace_id";
            case "cluster" -> list(clusterNames) + "[cluster + 1]";
            default -> throw new IllegalArgumentException(unitColumn);
        };
        List<String> arms = List.of(sc.control().label(), sc.treatment().label());
        String target = file.toAbsolutePath().toString().replace("'", "''");
        try (Statement st = conn.createStatement()) {
            st.execute("COPY (SELECT " + expr + " AS " + unitColumn.toLowerCase(Locale.ROOT) + ", " + list(arms)
                    + "[min(arm) + 1] AS arm FROM stage GROUP BY 1 ORDER BY 1) TO '" + target + "' (FORMAT csv, HEADER true)");
        } catch (SQLException e) {
            throw InputException.data("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            if (!appender.isClosed()) {
                appender.close();
            }
            conn.close();
        } catch (SQLException e) {
            // closing a scratch database: nothing to report
        } finally {
            try {
                Files.deleteIfExists(scratch);
                Files.deleteIfExists(Path.of(scratch + ".wal"));
            } catch (IOException ignored) {
                // best effort
            }
        }
    }
}

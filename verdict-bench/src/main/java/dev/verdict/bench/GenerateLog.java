package dev.verdict.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * Writes a synthetic canonical request log of N rows to Parquet with DuckDB, deterministically from the
 * row index (hash-based pseudo-random columns), for the scale benchmark.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.verdict.bench.GenerateLog ROWS OUT.parquet}
 */
public final class GenerateLog {
    private GenerateLog() {
    }

    public static void main(String[] args) throws Exception {
        long rows = Long.parseLong(args[0]);
        Path out = Path.of(args[1]).toAbsolutePath();
        Files.createDirectories(out.getParent());
        Files.deleteIfExists(out);
        String u = "((hash(i, %d) %% 1000003) + 0.5) / 1000003.0";
        String u1 = String.format(u, 1);
        String u2 = String.format(u, 2);
        String normal = "sqrt(-2 * ln(" + u1 + ")) * cos(2 * pi() * " + u2 + ")";
        String sql = "COPY (SELECT\n"
                + "  'r' || i AS request_id,\n"
                + "  TIMESTAMP '2026-11-02 00:00:00' + INTERVAL (i % 1209600) SECOND AS ts,\n"
                + "  'u' || (hash(i * 64 + 3) % 1000000) AS user_id,\n"
                + "  'w' || (hash(i * 64 + 3) % 1000000 // 20) AS workspace_id,\n"
                + "  ['us-east-a', 'us-east-b', 'eu-west-a', 'ap-south-a'][CAST(1 + hash(i * 64 + 4) % 4 AS BIGINT)] AS cluster,\n"
                + "  ['us-east', 'us-east', 'eu-west', 'ap-south'][CAST(1 + hash(i * 64 + 4) % 4 AS BIGINT)] AS region,\n"
                + "  CASE WHEN hash(i * 64 + 5) % 2 = 0 THEN 'control' ELSE 'treatment' END AS arm,\n"
                + "  CASE WHEN hash(i * 64 + 5) % 2 = 0 THEN 'control' ELSE 'treatment' END AS executed_arm,\n"
                + "  CASE WHEN hash(i * 64 + 6) % 250 = 0 THEN 'capacity' ELSE '' END AS fallback_reason,\n"
                + "  hash(i * 64 + 7) % 100 = 0 AS timed_out,\n"
                + "  CAST(hash(i * 64 + 8) % 10 = 0 AS INTEGER) AS retries,\n"
                + "  exp(5.8 + 0.45 * " + normal + ") - CASE WHEN hash(i * 64 + 5) % 2 = 1 THEN 8 ELSE 0 END AS latency_ms,\n"
                + "  exp(4.4 + 0.4 * " + normal + ") AS ttft_ms,\n"
                + "  CAST(hash(i * 64 + 9) % 100 = 0 AS INTEGER) AS error,\n"
                + "  CAST(hash(i * 64 + 10) % 1000 < CASE WHEN hash(i * 64 + 5) % 2 = 1 THEN 905 ELSE 900 END AS INTEGER) AS completed,\n"
                + "  200 + hash(i * 64 + 11) % 4000 AS tokens_in,\n"
                + "  50 + hash(i * 64 + 12) % 600 AS tokens_out,\n"
                + "  0.02 + (hash(i * 64 + 12) % 600) * 0.0004 AS gpu_seconds,\n"
                + "  (0.02 + (hash(i * 64 + 12) % 600) * 0.0004) * 0.0011 AS cost_usd,\n"
                + "  CASE WHEN hash(i * 64 + 10) % 1000 < CASE WHEN hash(i * 64 + 5) % 2 = 1 THEN 905 ELSE 900 END THEN 0.004 ELSE 0 END AS value_usd,\n"
                + "  hash(i * 64 + 13) % 20 AS queue_depth,\n"
                + "  CAST(hash(i * 64 + 14) % 3 = 0 AS INTEGER) AS cache_hit,\n"
                + "  (hash(i * 64 + 15) % 1000) / 1000.0 AS kv_util,\n"
                + "  (hash(i * 64 + 16) % 1000) / 1000.0 AS utilization,\n"
                + "  ['chat', 'batch', 'agentic'][CAST(1 + hash(i * 64 + 17) % 3 AS BIGINT)] AS workload,\n"
                + "  ['free', 'pro', 'enterprise'][CAST(1 + hash(i * 64 + 3) % 3 AS BIGINT)] AS tier,\n"
                + "  CASE WHEN hash(i * 64 + 11) % 4000 > 2800 THEN 'large' ELSE 'small' END AS model_family,\n"
                + "  200 + hash(i * 64 + 11) % 4000 AS context_tokens\n"
                + " FROM range(" + rows + ") t(i))\n"
                + " TO '" + out.toString().replace("'", "''") + "' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 1000000)";
        long t0 = System.nanoTime();
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute(sql);
        }
        System.out.printf("wrote %d rows to %s in %.1f s (%d bytes)%n", rows, out, (System.nanoTime() - t0) / 1e9,
                Files.size(out));
    }
}

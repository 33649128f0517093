package dev.verdict.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * The baseline of the scale benchmark: DuckDB's own single GROUP BY over the columns an analysis reads,
 * as a whole JVM process, so that verdict's overhead can be stated as a ratio to it.
 *
 * <p>Usage: {@code java -cp benchmarks.jar dev.verdict.bench.BareGroupBy LOG.parquet}
 */
public final class BareGroupBy {
    private BareGroupBy() {
    }

    public static void main(String[] args) throws Exception {
        String file = args[0].replace("'", "''");
        String sql = "SELECT arm, count(*), sum(completed), sum(latency_ms), sum(error), sum(cost_usd), sum(value_usd),"
                + " sum(gpu_seconds), sum(utilization), sum(queue_depth), sum(kv_util), count(workload), count(tier),"
                + " count(executed_arm), count(fallback_reason), count(timed_out)"
                + " FROM read_parquet('" + file + "') GROUP BY arm ORDER BY arm";
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                System.out.println(rs.getString(1) + " " + rs.getLong(2) + " " + rs.getDouble(3));
            }
        }
    }
}

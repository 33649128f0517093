package dev.verdict.sim;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Same seed, same bytes; another seed, other bytes; and the log is what the canonical schema says. */
class DeterminismTest {

    static Path write(Scenario sc, SimDesign design, Path file, LogWriter.Format format) {
        try (LogWriter w = new LogWriter(file, format, sc)) {
            new Simulation(sc, design, w).run();
        }
        return file;
    }

    @Test
    void sameSeedGivesByteIdenticalLogsAndAnotherSeedDiffers(@TempDir Path dir) throws Exception {
        Scenario sc = Scenarios.bundled("cache-eviction").withHours(0.25);
        SimDesign sb = new SimDesign.Switchback(0.5, 5, 1);
        byte[] a = Files.readAllBytes(write(sc, sb, dir.resolve("a.parquet"), LogWriter.Format.PARQUET));
        byte[] b = Files.readAllBytes(write(sc, sb, dir.resolve("b.parquet"), LogWriter.Format.PARQUET));
        byte[] c = Files.readAllBytes(write(sc.withSeed(8), sb, dir.resolve("c.parquet"), LogWriter.Format.PARQUET));
        assertArrayEquals(a, b);
        assertFalse(java.util.Arrays.equals(a, c));
        byte[] csv1 = Files.readAllBytes(write(sc, sb, dir.resolve("a.csv"), LogWriter.Format.CSV));
        byte[] csv2 = Files.readAllBytes(write(sc, sb, dir.resolve("b.csv"), LogWriter.Format.CSV));
        assertArrayEquals(csv1, csv2);
    }

    @Test
    void theLogHasTheCanonicalColumnsAndAgreesWithTheInMemorySummary(@TempDir Path dir) throws Exception {
        Scenario sc = Scenarios.bundled("cache-eviction").withHours(0.25);
        Path file = dir.resolve("log.parquet");
        ArmSummary summary = new ArmSummary();
        try (LogWriter w = new LogWriter(file, LogWriter.Format.PARQUET, sc)) {
            new Simulation(sc, new SimDesign.Request(0.5), IdealExperiment.tee(w, summary)).run();
        }
        try (var conn = DriverManager.getConnection("jdbc:duckdb:"); var st = conn.createStatement()) {
            ResultSet cols = st.executeQuery("SELECT string_agg(column_name, ',') FROM (DESCRIBE SELECT * FROM '" + file + "')");
            cols.next();
            assertEquals(String.join(",", dev.verdict.spec.CanonicalColumns.ALL), cols.getString(1));
            ResultSet rs = st.executeQuery("SELECT count(*), avg(ttft_ms) FILTER (WHERE arm = 'frequency_aware'), "
                    + "count(DISTINCT request_id), min(ts), max(ts) FROM '" + file + "'");
            rs.next();
            assertEquals(summary.count(), rs.getLong(1));
            assertEquals(summary.mean(1, Metric.TTFT_MS), rs.getDouble(2), 1e-3);
            assertEquals(summary.count(), rs.getLong(3), "request ids are unique");
            assertTrue(rs.getTimestamp(4).toInstant().compareTo(sc.start()) >= 0);
        }
    }
}

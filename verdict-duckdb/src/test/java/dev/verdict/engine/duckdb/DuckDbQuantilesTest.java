package dev.verdict.engine.duckdb;

import dev.verdict.reduce.LogSource;
import dev.verdict.reduce.Reduction;
import dev.verdict.reduce.ReductionPlan;
import dev.verdict.reduce.VariableGroup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The engine's exact quantiles (bucket refinement, {@link dev.verdict.reduce.ExactQuantiles}) equal DuckDB's own
 * {@code quantile_cont} to the bit, per arm and pooled, on Parquet with several row groups; and the exact sums make
 * a request-level reduction identical, bit for bit, on every run.
 */
class DuckDbQuantilesTest {
    private static final List<Double> PS = List.of(0.0, 0.005, 0.01, 0.5, 0.9, 0.985, 0.99, 0.995, 1.0);
    @TempDir
    static Path dir;
    static DuckDbEngine engine;
    static Path parquet;

    @BeforeAll
    static void writeLog() throws IOException {
        engine = DuckDbEngine.inMemory();
        SplittableRandom rnd = new SplittableRandom(11);
        StringBuilder sb = new StringBuilder("arm,latency_ms,util,signed,completed\n");
        for (int i = 0; i < 60_000; i++) {
            String arm = i % 61 == 0 ? "ctrl" : rnd.nextBoolean() ? "control" : "treatment";
            String lat = i % 89 == 0 ? "" : String.format(Locale.ROOT, "%.6f", Math.exp(5.8 + 0.45 * rnd.nextGaussian()));
            sb.append(arm).append(',').append(lat).append(',').append(rnd.nextInt(1000) / 1000.0).append(',')
                    .append(rnd.nextInt(4) == 0 ? "0" : String.valueOf(rnd.nextGaussian() * 1e-3 - (i % 2)))
                    .append(',').append(rnd.nextDouble() < 0.9 ? 1 : 0).append('\n');
        }
        Path csv = dir.resolve("log.csv");
        Files.writeString(csv, sb.toString());
        parquet = dir.resolve("log.parquet");
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:duckdb:");
             java.sql.Statement s = c.createStatement()) {
            s.execute("COPY (SELECT * FROM read_csv('" + csv + "', header = true)) TO '" + parquet
                    + "' (FORMAT parquet, ROW_GROUP_SIZE 7000)");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    static ReductionPlan plan() {
        return new ReductionPlan(new LogSource(List.of(parquet.toString()), LogSource.Format.PARQUET), "arm",
                List.of("control", "treatment"), Optional.empty(),
                List.of(new VariableGroup("lat", List.of("latency_ms"), Optional.empty()),
                        new VariableGroup("econ", List.of("latency_ms", "completed", "signed"), Optional.empty())),
                List.of(), List.of(new ReductionPlan.QuantileRequest("latency_ms", PS, true),
                new ReductionPlan.QuantileRequest("util", PS, true),
                new ReductionPlan.QuantileRequest("signed", PS, false)),
                ReductionPlan.Fidelity.NONE, Optional.empty());
    }

    private static double[] quantileCont(String column, String where) {
        Object[] raw = (Object[]) sqlArray("SELECT quantile_cont(" + column + ", " + Sql.doubleList(PS)
                + ") FROM read_parquet('" + parquet + "') WHERE " + where);
        double[] out = new double[raw.length];
        for (int i = 0; i < raw.length; i++) {
            out[i] = ((Number) raw[i]).doubleValue();
        }
        return out;
    }

    private static Object sqlArray(String sql) {
        try {
            return ((java.sql.Array) engine.scalar(sql)).getArray();
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void exactQuantilesEqualQuantileContToTheBit() {
        Reduction r = engine.reduce(plan());
        for (String column : List.of("latency_ms", "util", "signed")) {
            for (String arm : List.of("control", "treatment")) {
                assertArrayEquals(quantileCont(column, "arm = '" + arm + "'"), r.quantiles().get(column).get(arm), 0.0,
                        column + " " + arm);
            }
        }
        assertArrayEquals(quantileCont("latency_ms", "arm IN ('control', 'treatment')"),
                r.quantiles().get("latency_ms").get(Reduction.POOLED), 0.0);
        assertArrayEquals(quantileCont("util", "arm IN ('control', 'treatment')"),
                r.quantiles().get("util").get(Reduction.POOLED), 0.0);
        assertEquals(false, r.quantiles().get("signed").containsKey(Reduction.POOLED));
    }

    @Test
    void requestLevelSumsAreExactSoEveryRunIsIdentical() {
        Reduction a = engine.reduce(plan());
        for (int run = 0; run < 3; run++) {
            Reduction b = engine.reduce(plan());
            for (int c = 0; c < a.cells().size(); c++) {
                for (String g : List.of("lat", "econ")) {
                    var x = a.cells().get(c).moments().get(g);
                    var y = b.cells().get(c).moments().get(g);
                    assertEquals(x.count(), y.count());
                    for (int i = 0; i < x.dimension(); i++) {
                        assertEquals(Double.doubleToRawLongBits(x.mean(i)), Double.doubleToRawLongBits(y.mean(i)));
                        for (int j = 0; j < x.dimension(); j++) {
                            assertEquals(Double.doubleToRawLongBits(x.comoment(i, j)),
                                    Double.doubleToRawLongBits(y.comoment(i, j)));
                        }
                    }
                }
            }
        }
        // and the exact sums are the moments: the mean of latency per arm equals DuckDB's avg to 1e-12 relative
        double avg = ((Number) engine.scalar("SELECT avg(latency_ms) FROM read_parquet('" + parquet
                + "') WHERE arm = 'control'")).doubleValue();
        assertEquals(avg, a.arm("control").moments().get("lat").mean(0), Math.abs(avg) * 1e-12);
    }
}

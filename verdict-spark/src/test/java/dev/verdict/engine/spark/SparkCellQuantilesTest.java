package dev.verdict.engine.spark;

import dev.verdict.engine.duckdb.DuckDbEngine;
import dev.verdict.reduce.CellQuantiles;
import dev.verdict.reduce.LogSource;
import dev.verdict.reduce.ReductionPlan;
import dev.verdict.reduce.UnitKey;
import dev.verdict.reduce.VariableGroup;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Per (cluster, day, arm) quantiles on Spark: the hand-sorted log of DuckDbCellQuantilesTest gives the same type-7
 * values (12.8, 19, 5, 8.8, 3, 4.1 at p = 0.9, where nearest rank gives 16, 20, 5, 9, 3, 5), mixed blocks one cell per
 * arm and the pre-period filter applied; on a generated panel every cell is DuckDB's to the bit (both engines return
 * the two order statistics and share the interpolation) and Spark's own exact {@code percentile} agrees to 1e-12
 * relative (it is type 7, with other interpolation arithmetic).
 */
class SparkCellQuantilesTest {
    @TempDir
    static Path dir;

    private static final Instant DAY0 = Instant.parse("2026-11-02T00:00:00Z");
    private static final UnitKey.TimeBlocks DAYS = new UnitKey.TimeBlocks("ts", 0, 86_400, 0, Optional.of("cluster"));

    private static String row(double hours, String cluster, String arm, String latency) {
        return DAY0.plusSeconds((long) (hours * 3600)) + "," + cluster + "," + arm + "," + latency + "\n";
    }

    private static ReductionPlan plan(LogSource source) {
        return new ReductionPlan(source, "arm", List.of("control", "treatment"), Optional.of(DAYS),
                List.of(new VariableGroup("g", List.of("latency_ms"), Optional.empty())), List.of(), List.of(),
                ReductionPlan.Fidelity.NONE, Optional.empty());
    }

    @Test
    void handSortedCellsAreTypeSeven() throws Exception {
        // the log of DuckDbCellQuantilesTest.handLog()
        String log = "ts,cluster,arm,latency_ms\n"
                + row(0.5, "a", "control", "1000") + row(2, "a", "control", "16") + row(3, "a", "control", "1")
                + row(4, "a", "control", "8") + row(5, "a", "control", "2") + row(6, "a", "control", "4")
                + row(26, "a", "treatment", "20") + row(27, "a", "treatment", "10")
                + row(50, "a", "control", "5") + row(51, "a", "treatment", "9") + row(52, "a", "treatment", "7")
                + row(3, "b", "treatment", "3") + row(4, "b", "treatment", "") + row(5, "b", "other", "1000")
                + ",b,treatment,1000\n"
                + row(30, "b", "control", "2") + row(31, "b", "control", "5") + row(32, "b", "control", "2")
                + row(33, "b", "control", "2");
        Path csv = dir.resolve("hand.csv");
        Files.writeString(csv, log);
        LogSource source = new LogSource(List.of(csv.toString()), LogSource.Format.CSV).since("ts",
                DAY0.plusSeconds(3600));
        CellQuantiles q = SharedSpark.engine().cellQuantiles(plan(source), "latency_ms", 0.9);
        long d = DAY0.getEpochSecond() / 86_400;
        Object[][] want = {
            {"a", d, "control", 5L, 12.8}, {"a", d + 1, "treatment", 2L, 19.0}, {"a", d + 2, "control", 1L, 5.0},
            {"a", d + 2, "treatment", 2L, 8.8}, {"b", d, "treatment", 1L, 3.0}, {"b", d + 1, "control", 4L, 4.1},
        };
        assertEquals(want.length, q.cells().size(), q.toString());
        for (int i = 0; i < want.length; i++) {
            CellQuantiles.Cell c = q.cells().get(i);
            assertEquals(Optional.of(want[i][0]), c.by());
            assertEquals((long) want[i][1], c.block());
            assertEquals(want[i][2], c.arm());
            assertEquals((long) want[i][3], c.rows());
            assertEquals((double) want[i][4], c.quantile(), 1e-12 * (double) want[i][4], c.toString());
        }
        CellQuantiles whole = SharedSpark.engine().cellQuantiles(plan(new LogSource(List.of(csv.toString()),
                LogSource.Format.CSV)), "latency_ms", 0.9);
        assertEquals(508.0, whole.cells().get(0).quantile(), 1e-12 * 508); // {1,2,4,8,16,1000}: 16 + 0.5 x 984
    }

    @Test
    void generatedPanelIsDuckDbsToTheBitAndSparkPercentileAgrees() throws Exception {
        SplittableRandom rnd = new SplittableRandom(23);
        StringBuilder sb = new StringBuilder("ts,cluster,arm,latency_ms\n");
        for (int i = 0; i < 8000; i++) {
            int c = rnd.nextInt(8);
            long sec = DAY0.getEpochSecond() + rnd.nextLong(12 * 86_400L);
            boolean treated = c < 4 && (sec - DAY0.getEpochSecond()) / 86_400 >= 6;
            String arm = rnd.nextInt(300) == 0 ? (treated ? "control" : "treatment") : treated ? "treatment" : "control";
            double lat = rnd.nextInt(8) == 0 ? 250 : Math.exp(5 + 0.7 * rnd.nextGaussian());
            sb.append(Instant.ofEpochSecond(sec)).append(",c").append(c).append(',').append(arm).append(',')
                    .append(rnd.nextInt(40) == 0 ? "" : String.format(Locale.ROOT, "%.3f", lat)).append('\n');
        }
        Path csv = dir.resolve("panel.csv");
        Files.writeString(csv, sb);
        LogSource source = new LogSource(List.of(csv.toString()), LogSource.Format.CSV);
        var spark = SharedSpark.session();
        var logged = spark.read().option("header", "true").option("inferSchema", "true").csv(csv.toString());
        for (double p : new double[] {0.5, 0.99}) {
            CellQuantiles want;
            try (DuckDbEngine duck = DuckDbEngine.inMemory()) {
                want = duck.cellQuantiles(plan(source), "latency_ms", p);
            }
            CellQuantiles got = SharedSpark.engine().cellQuantiles(plan(source), "latency_ms", p);
            assertEquals(want, got, "p " + p);
            Map<String, Double> percentile = new HashMap<>();
            for (Row r : logged.where("latency_ms IS NOT NULL AND arm IN ('control', 'treatment')").selectExpr(
                    "cluster", "arm", "CAST(floor(unix_timestamp(ts) / 86400) AS BIGINT) AS day",
                    "CAST(latency_ms AS DOUBLE) AS v")
                    .groupBy("cluster", "day", "arm").agg(org.apache.spark.sql.functions.expr("percentile(v, " + p
                            + ")").as("q")).collectAsList()) {
                percentile.put(r.getString(0) + "/" + r.getLong(1) + "/" + r.getString(2), r.getDouble(3));
            }
            int mixed = 0;
            for (int i = 0; i < got.cells().size(); i++) {
                CellQuantiles.Cell c = got.cells().get(i);
                double ref = percentile.get(c.by().orElseThrow() + "/" + c.block() + "/" + c.arm());
                assertEquals(ref, c.quantile(), 1e-12 * Math.abs(ref), c.toString());
                mixed += i > 0 && got.cells().get(i - 1).by().equals(c.by()) && got.cells().get(i - 1).block()
                        == c.block() ? 1 : 0;
            }
            assertEquals(percentile.size(), got.cells().size());
            assertTrue(mixed > 0, "some cluster-days carry both arms");
        }
    }
}

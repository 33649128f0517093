package dev.verdict.engine.duckdb;

import dev.verdict.reduce.CellQuantiles;
import dev.verdict.reduce.ExactQuantiles;
import dev.verdict.reduce.LogSource;
import dev.verdict.reduce.ReductionPlan;
import dev.verdict.reduce.UnitKey;
import dev.verdict.reduce.VariableGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Per (cluster, day, arm) quantiles on DuckDB: a log small enough to sort by hand gives the type-7 values computed
 * below (chosen so that nearest-rank, type 1, gives other numbers), a block carrying both arms yields one cell per arm,
 * the source's pre-period filter and undeclared labels keep rows out; on a generated log every cell equals R's type-7
 * formula written out to 1e-12 relative, and {@link ExactQuantiles#type7} on the same order statistics to the bit (what
 * makes a ranking engine, Spark, agree with DuckDB's {@code quantile_cont}).
 */
class DuckDbCellQuantilesTest {
    @TempDir
    Path dir;

    private static final Instant DAY0 = Instant.parse("2026-11-02T00:00:00Z");
    private static final UnitKey.TimeBlocks DAYS = new UnitKey.TimeBlocks("ts", 0, 86_400, 0, Optional.of("cluster"));

    /** A row {@code hours} after the first day's midnight. */
    private static String row(double hours, String cluster, String arm, String latency) {
        return DAY0.plusSeconds((long) (hours * 3600)) + "," + cluster + "," + arm + "," + latency + "\n";
    }

    /** The hand-sorted log; shared with the Spark module's copy of this test (SparkCellQuantilesTest). */
    static String handLog() {
        return "ts,cluster,arm,latency_ms\n"
                + row(0.5, "a", "control", "1000")     // before pre_period's end (01:00): left out with since
                + row(2, "a", "control", "16")         // a, day 0, control: {1, 2, 4, 8, 16}
                + row(3, "a", "control", "1")
                + row(4, "a", "control", "8")
                + row(5, "a", "control", "2")
                + row(6, "a", "control", "4")
                + row(26, "a", "treatment", "20")      // a, day 1, treatment: {10, 20}
                + row(27, "a", "treatment", "10")
                + row(50, "a", "control", "5")         // a, day 2: both arms (mixed)
                + row(51, "a", "treatment", "9")
                + row(52, "a", "treatment", "7")
                + row(3, "b", "treatment", "3")        // b, day 0, treatment: {3}
                + row(4, "b", "treatment", "")         // missing outcome
                + row(5, "b", "other", "1000")         // undeclared label
                + ",b,treatment,1000\n"                // missing time
                + row(30, "b", "control", "2")         // b, day 1, control: {2, 2, 2, 5} (ties)
                + row(31, "b", "control", "5")
                + row(32, "b", "control", "2")
                + row(33, "b", "control", "2");
    }

    static ReductionPlan plan(LogSource source) {
        return new ReductionPlan(source, "arm", List.of("control", "treatment"), Optional.of(DAYS),
                List.of(new VariableGroup("g", List.of("latency_ms"), Optional.empty())), List.of(), List.of(),
                ReductionPlan.Fidelity.NONE, Optional.empty());
    }

    static LogSource sinceOneAm(Path csv) {
        return new LogSource(List.of(csv.toString()), LogSource.Format.CSV).since("ts", DAY0.plusSeconds(3600));
    }

    /**
     * Type 7 at p = 0.9 by hand, h = (n - 1) 0.9 zero-based: {1,2,4,8,16}: h = 3.6, 8 + 0.6 x 8 = 12.8 (type 1: 16);
     * {10,20}: h = 0.9, 19 (type 1: 20); {7,9}: 8.8; {5}: 5; {3}: 3; {2,2,2,5}: h = 2.7, 2 + 0.7 x 3 = 4.1 (type 1:
     * 5). Listed as cluster, day, arm, rows, quantile.
     */
    static final Object[][] HAND_P90 = {
        {"a", 0L, "control", 5L, 12.8},
        {"a", 1L, "treatment", 2L, 19.0},
        {"a", 2L, "control", 1L, 5.0},
        {"a", 2L, "treatment", 2L, 8.8},
        {"b", 0L, "treatment", 1L, 3.0},
        {"b", 1L, "control", 4L, 4.1},
    };

    /** Asserts the hand values at 1e-12 relative, and that nearest rank (type 1) would have failed where it differs. */
    static void assertHand(CellQuantiles q) {
        assertEquals(HAND_P90.length, q.cells().size(), q.toString());
        long day0 = DAY0.getEpochSecond() / 86_400;
        for (int i = 0; i < HAND_P90.length; i++) {
            CellQuantiles.Cell c = q.cells().get(i);
            Object[] want = HAND_P90[i];
            assertEquals(Optional.of(want[0]), c.by());
            assertEquals(day0 + (long) want[1], c.block());
            assertEquals(want[2], c.arm());
            assertEquals((long) want[3], c.rows());
            double w = (double) want[4];
            assertEquals(w, c.quantile(), 1e-12 * w, c.toString());
        }
        // nearest rank: the ceil(n p)-th value; it differs from type 7 on four of the six cells
        assertNotEquals(16.0, q.cells().get(0).quantile(), 1e-6);
        assertNotEquals(20.0, q.cells().get(1).quantile(), 1e-6);
        assertNotEquals(9.0, q.cells().get(3).quantile(), 1e-6);
        assertNotEquals(5.0, q.cells().get(5).quantile(), 1e-6);
    }

    @Test
    void handSortedCellsAreTypeSeven() throws Exception {
        Path csv = dir.resolve("hand.csv");
        Files.writeString(csv, handLog());
        try (DuckDbEngine duck = DuckDbEngine.inMemory()) {
            assertHand(duck.cellQuantiles(plan(sinceOneAm(csv)), "latency_ms", 0.9));
            // whole positions need no interpolation: p = 0.5 of {1,2,4,8,16} is the 3rd value
            assertEquals(4.0, duck.cellQuantiles(plan(sinceOneAm(csv)), "latency_ms", 0.5).cells().get(0).quantile(),
                    0.0);
            // p99 of the same cell: h = 3.96, 8 + 0.96 x 8 = 15.68
            assertEquals(15.68, duck.cellQuantiles(plan(sinceOneAm(csv)), "latency_ms", 0.99).cells().get(0)
                    .quantile(), 1e-12 * 15.68);
            // without the pre-period filter the 00:30 row joins a/day 0: {1,2,4,8,16,1000}, h = 4.5, 16 + 0.5 x 984
            CellQuantiles whole = duck.cellQuantiles(plan(new LogSource(List.of(csv.toString()), LogSource.Format.CSV)),
                    "latency_ms", 0.9);
            assertEquals(6, whole.cells().get(0).rows());
            assertEquals(508.0, whole.cells().get(0).quantile(), 1e-12 * 508);
            ReductionPlan noBlocks = new ReductionPlan(sinceOneAm(csv), "arm", List.of("control", "treatment"),
                    Optional.empty(), List.of(), List.of(), List.of(), ReductionPlan.Fidelity.NONE, Optional.empty());
            assertThrows(IllegalArgumentException.class, () -> duck.cellQuantiles(noBlocks, "latency_ms", 0.9));
            assertThrows(IllegalArgumentException.class, () -> duck.cellQuantiles(plan(sinceOneAm(csv)), "latency_ms",
                    Double.NaN));
        }
    }

    /** R's quantile(x, p, type = 7): 1-based index 1 + (n - 1) p, (1 - g) x[j] + g x[j + 1]. */
    static double typeSeven(double[] values, double p) {
        double[] x = values.clone();
        Arrays.sort(x);
        double index = 1 + (x.length - 1) * p;
        int j = (int) Math.floor(index);
        double g = index - j;
        return j >= x.length ? x[x.length - 1] : (1 - g) * x[j - 1] + g * x[j];
    }

    /** A generated log: 6 clusters x 10 days, lognormal latencies with ties and gaps, arms by cluster and day. */
    static Map<String, List<Double>> generated(Path csv, long seed) throws Exception {
        SplittableRandom rnd = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder("ts,cluster,arm,latency_ms\n");
        Map<String, List<Double>> byCell = new TreeMap<>();
        for (int i = 0; i < 6000; i++) {
            int c = rnd.nextInt(6);
            long sec = DAY0.getEpochSecond() + rnd.nextLong(10 * 86_400L);
            long day = sec / 86_400;
            boolean treated = c < 3 && day - DAY0.getEpochSecond() / 86_400 >= 5;
            String arm = rnd.nextInt(500) == 0 ? (treated ? "control" : "treatment") : treated ? "treatment" : "control";
            boolean missing = rnd.nextInt(40) == 0;
            double lat = rnd.nextInt(10) == 0 ? 100 : Math.exp(5 + 0.6 * rnd.nextGaussian());
            String text = String.format(Locale.ROOT, "%.3f", lat);
            sb.append(Instant.ofEpochSecond(sec)).append(",c").append(c).append(',').append(arm).append(',')
                    .append(missing ? "" : text).append('\n');
            if (!missing) {
                byCell.computeIfAbsent("c" + c + "/" + day + "/" + arm, k -> new ArrayList<>())
                        .add(Double.parseDouble(text));
            }
        }
        Files.writeString(csv, sb);
        return byCell;
    }

    @Test
    void generatedCellsAreTypeSevenAndExactQuantilesBits() throws Exception {
        Path csv = dir.resolve("gen.csv");
        Map<String, List<Double>> byCell = generated(csv, 5);
        LogSource source = new LogSource(List.of(csv.toString()), LogSource.Format.CSV);
        try (DuckDbEngine duck = DuckDbEngine.inMemory()) {
            for (double p : new double[] {0.5, 0.9, 0.95, 0.99}) {
                CellQuantiles q = duck.cellQuantiles(plan(source), "latency_ms", p);
                assertEquals(byCell.size(), q.cells().size());
                int mixed = 0;
                for (int i = 0; i < q.cells().size(); i++) {
                    CellQuantiles.Cell c = q.cells().get(i);
                    String key = c.by().orElseThrow() + "/" + c.block() + "/" + c.arm();
                    double[] v = byCell.get(key).stream().mapToDouble(Double::doubleValue).toArray();
                    assertEquals(v.length, c.rows(), key);
                    double ref = typeSeven(v, p);
                    assertEquals(ref, c.quantile(), 1e-12 * Math.abs(ref), key + " p " + p);
                    mixed += i > 0 && q.cells().get(i - 1).by().equals(c.by())
                            && q.cells().get(i - 1).block() == c.block() ? 1 : 0;
                    // to the bit: the interpolation a ranking engine (Spark) uses on the same order statistics
                    double[] sorted = v.clone();
                    Arrays.sort(sorted);
                    assertEquals(ExactQuantiles.type7(v.length, p, r -> sorted[(int) r]), c.quantile(), 0.0, key);
                }
                assertTrue(mixed > 0, "some cluster-days carry both arms");
            }
        }
    }
}

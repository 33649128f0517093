package dev.verdict.engine.duckdb;

import dev.verdict.InputException;
import dev.verdict.reduce.LogSchema;
import dev.verdict.reduce.LogSource;
import dev.verdict.reduce.Reduction;
import dev.verdict.reduce.ReductionPlan;
import dev.verdict.reduce.UnitKey;
import dev.verdict.reduce.VariableGroup;
import dev.verdict.stats.Moments;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DuckDB really reads the files: every reduction is checked against the same statistic computed in
 * the test from the rows it wrote (known truth, to 1e-9 relative).
 */
class DuckDbEngineTest {
    @TempDir
    static Path dir;
    static DuckDbEngine engine;
    static List<String[]> rows = new ArrayList<>();
    static Path csv;

    @BeforeAll
    static void writeLog() throws IOException {
        engine = DuckDbEngine.inMemory();
        SplittableRandom rnd = new SplittableRandom(7);
        StringBuilder sb = new StringBuilder("request_id,user_id,arm,executed_arm,latency_ms,completed,seg\n");
        for (int i = 0; i < 2000; i++) {
            String user = "u" + rnd.nextInt(300);
            String arm = Math.floorMod(user.hashCode(), 2) == 0 ? "control" : "treatment";
            if (i % 500 == 7) {
                arm = "ctrl"; // an undeclared label
            }
            double latency = 100 + 1000 * rnd.nextDouble();
            String lat = i % 97 == 0 ? "" : String.valueOf(latency);
            int completed = rnd.nextDouble() < 0.9 ? 1 : 0;
            String exec = i % 101 == 0 ? "control" : arm;
            String seg = rnd.nextBoolean() ? "chat" : "batch";
            rows.add(new String[] {"r" + i, user, arm, exec, lat, String.valueOf(completed), seg});
            sb.append(String.join(",", rows.get(rows.size() - 1))).append('\n');
        }
        csv = dir.resolve("log.csv");
        Files.writeString(csv, sb.toString());
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    private static ReductionPlan plan(Optional<UnitKey> unit) {
        return new ReductionPlan(new LogSource(List.of(csv.toString()), LogSource.Format.CSV), "arm",
                List.of("control", "treatment"), unit,
                List.of(new VariableGroup("lat", List.of("latency_ms"), Optional.empty()),
                        new VariableGroup("ratio", List.of("latency_ms", "completed"), Optional.empty())),
                List.of("seg"), List.of(new ReductionPlan.QuantileRequest("latency_ms", List.of(0.5, 0.99))),
                new ReductionPlan.Fidelity(Optional.of("executed_arm"), Optional.empty(), Optional.empty()),
                Optional.empty());
    }

    @Test
    void describesColumnsWithKinds() {
        LogSchema schema = engine.describe(new LogSource(List.of(csv.toString()), LogSource.Format.CSV));
        assertEquals(LogSchema.ColumnKind.NUMERIC, schema.kind("latency_ms").orElseThrow());
        assertEquals(LogSchema.ColumnKind.TEXT, schema.kind("arm").orElseThrow());
    }

    @Test
    void requestLevelMomentsMatchTheRows() {
        Reduction r = engine.reduce(plan(Optional.empty()));
        assertEquals(2000, r.rows());
        assertEquals(4, r.armLabelCounts().get("ctrl").rows());
        Moments.Accumulator acc = new Moments.Accumulator(2);
        long mismatch = 0;
        for (String[] row : rows) {
            if (row[2].equals("treatment") && !row[4].isEmpty()) {
                acc.add(Double.parseDouble(row[4]), 1.0);
            }
            if (row[2].equals("treatment") && !row[3].equals(row[2])) {
                mismatch++;
            }
        }
        Moments want = acc.toMoments();
        Moments got = r.arm("treatment").moments().get("lat");
        assertEquals(want.count(), got.count());
        assertEquals(want.mean(0), got.mean(0), 1e-9 * want.mean(0));
        assertEquals(want.variance(0), got.variance(0), 1e-9 * want.variance(0));
        assertEquals(1.0, got.mean(1));
        assertEquals(0.0, got.variance(1));
        assertEquals(mismatch, r.counters().get("treatment").executedMismatch());
        assertEquals(-1, r.counters().get("treatment").fallbacks());
        assertEquals(2, r.segmentCells("seg").stream().filter(c -> c.arm().equals("control")).count());
    }

    @Test
    void requestLevelQuantilesAreType7() {
        Reduction r = engine.reduce(plan(Optional.empty()));
        List<Double> values = new ArrayList<>();
        for (String[] row : rows) {
            if (row[2].equals("control") && !row[4].isEmpty()) {
                values.add(Double.parseDouble(row[4]));
            }
        }
        values.sort(Double::compare);
        double h = (values.size() - 1) * 0.99;
        int lo = (int) Math.floor(h);
        double want = values.get(lo) + (h - lo) * (values.get(lo + 1) - values.get(lo));
        assertEquals(want, r.quantiles().get("latency_ms").get("control")[1], 1e-9 * want);
        assertTrue(r.quantiles().get("latency_ms").containsKey(Reduction.POOLED));
    }

    @Test
    void unitLevelMomentsAreOverUnits() {
        Reduction r = engine.reduce(plan(Optional.of(UnitKey.column("user_id"))));
        Map<String, double[]> perUser = new java.util.TreeMap<>();
        Map<String, String> armOf = new java.util.TreeMap<>();
        for (String[] row : rows) {
            double[] s = perUser.computeIfAbsent(row[1], k -> new double[2]);
            armOf.merge(row[1], row[2], (a, b) -> a.compareTo(b) <= 0 ? a : b);
            if (!row[4].isEmpty()) {
                s[0] += Double.parseDouble(row[4]);
                s[1] += 1;
            }
        }
        Moments.Accumulator acc = new Moments.Accumulator(2);
        perUser.forEach((u, s) -> {
            if (armOf.get(u).equals("control")) {
                acc.add(s);
            }
        });
        Moments want = acc.toMoments();
        Moments got = r.arm("control").moments().get("lat");
        assertEquals(want.count(), got.count());
        assertEquals(want.mean(0), got.mean(0), 1e-9 * want.mean(0));
        assertEquals(want.covariance(0, 1), got.covariance(0, 1), 1e-9 * Math.abs(want.covariance(0, 1)));
        assertTrue(r.counters().get("control").unitsInBothArms() > 0, "users with an undeclared label row are mixed");
        assertTrue(r.quantiles().get("latency_ms").get("treatment")[0] > 0);
    }

    @Test
    void identifierInjectionIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Sql.id("x\"; DROP TABLE t; --"));
        assertEquals("'it''s'", Sql.str("it's"));
    }

    @Test
    void missingFileIsAnInputError() {
        InputException e = assertThrows(InputException.class,
                () -> engine.files(new LogSource(List.of(dir.resolve("nope*.parquet").toString()), LogSource.Format.PARQUET)));
        assertEquals(InputException.INVALID_DATA, e.exitCode());
        assertTrue(e.getMessage().startsWith("spec key 'data': no file matches"), e.getMessage());
    }

    @Test
    void textInNumericColumnIsFound() throws IOException {
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "arm,latency_ms\ncontrol,1\ntreatment,abc\n");
        LogSource src = new LogSource(List.of(bad.toString()), LogSource.Format.CSV);
        assertEquals(LogSchema.ColumnKind.TEXT, engine.describe(src).kind("latency_ms").orElseThrow());
        assertEquals(Optional.of("abc"), engine.firstNonNumeric(src, "latency_ms"));
    }
}

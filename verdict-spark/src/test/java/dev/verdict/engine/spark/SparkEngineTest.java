package dev.verdict.engine.spark;

import dev.verdict.engine.duckdb.DuckDbEngine;
import dev.verdict.reduce.BucketScan;
import dev.verdict.reduce.LogSchema;
import dev.verdict.reduce.LogSource;
import dev.verdict.reduce.Reduction;
import dev.verdict.reduce.ReductionPlan;
import dev.verdict.reduce.UnitKey;
import dev.verdict.reduce.ReductionPlan.QuantileRequest;
import dev.verdict.reduce.VariableGroup;
import dev.verdict.stats.Moments;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A generated log in two CSV files with different headers (union by name), with missing values, an undeclared arm
 * label, rows without an arm, users who switch arms, segments, fidelity columns and a decision time: Spark's
 * request-level and unit-level reductions, its ECDF counts and its bucket scans equal DuckDB's, and every Spark answer
 * is identical to the bit when computed again, also with a different split of the files into partitions.
 */
class SparkEngineTest {
    private static final Instant START = Instant.parse("2026-11-02T00:00:00Z");
    @TempDir
    static Path dir;
    static DuckDbEngine duck;
    static SparkEngine spark;
    static LogSource csv;

    @BeforeAll
    static void writeLog() throws IOException {
        duck = DuckDbEngine.inMemory();
        spark = SharedSpark.engine();
        SplittableRandom rnd = new SplittableRandom(20261102);
        String[] workloads = {"chat", "agent", "batch"};
        StringBuilder a = new StringBuilder("request_id,ts,user_id,arm,executed_arm,fallback_reason,timed_out,"
                + "latency_ms,completed,cost_usd,pre_latency_ms,workload,tier\n");
        // the second file has its columns in another order and no fallback_reason column
        StringBuilder b = new StringBuilder("tier,workload,pre_latency_ms,cost_usd,completed,latency_ms,timed_out,"
                + "executed_arm,arm,user_id,ts,request_id\n");
        long t0 = START.getEpochSecond() - 6 * 3600;
        for (int i = 0; i < 6000; i++) {
            int u = rnd.nextInt(700);
            String user = "u" + u;
            String arm = (u * 2654435761L) % 7 < 3 ? "control" : "treatment";
            if (rnd.nextInt(40) == 0) {
                arm = arm.equals("control") ? "treatment" : "control"; // the user's rows carry both arms
            }
            if (i % 487 == 5) {
                arm = "ctrl"; // undeclared label
            }
            if (i % 911 == 3) {
                arm = ""; // missing arm
            }
            String exec = i % 53 == 0 ? "control" : arm;
            String fallback = i % 31 == 0 ? "overload" : "";
            String timedOut = i % 17 == 0 ? "true" : "false";
            double lat = Math.exp(5.5 + 0.6 * rnd.nextGaussian()) + (arm.equals("treatment") ? -7 : 0);
            String latency = i % 97 == 0 ? "" : String.format(Locale.ROOT, "%.4f", lat);
            String completed = rnd.nextDouble() < (arm.equals("treatment") ? 0.93 : 0.9) ? "1" : "0";
            String cost = String.format(Locale.ROOT, "%.6f", 0.002 + 0.001 * rnd.nextDouble());
            String pre = i % 71 == 0 ? "" : String.format(Locale.ROOT, "%.3f", 250 + u % 50 + 30 * rnd.nextGaussian());
            String workload = i % 113 == 0 ? "" : workloads[u % 3];
            String tier = u % 4 == 0 ? "paid" : "free";
            String ts = Instant.ofEpochSecond(t0 + 7L * i + rnd.nextInt(5)).toString();
            if (i < 4000) {
                a.append(String.join(",", "r" + i, ts, user, arm, exec, fallback, timedOut, latency, completed, cost, pre,
                        workload, tier)).append('\n');
            } else {
                b.append(String.join(",", tier, workload, pre, cost, completed, latency, timedOut, exec, arm, user, ts,
                        "r" + i)).append('\n');
            }
        }
        Files.writeString(dir.resolve("log-a.csv"), a.toString());
        Files.writeString(dir.resolve("log-b.csv"), b.toString());
        csv = new LogSource(List.of(dir.resolve("log-a.csv").toString(), dir.resolve("log-b.csv").toString()),
                LogSource.Format.CSV);
    }

    @AfterAll
    static void close() {
        duck.close();
        spark.close();
    }

    static ReductionPlan plan(LogSource source, Optional<UnitKey> unit) {
        return new ReductionPlan(source, "arm", List.of("control", "treatment"), unit,
                List.of(new VariableGroup("lat", List.of("latency_ms"), Optional.empty()),
                        new VariableGroup("ratio", List.of("latency_ms", "completed"), Optional.empty()),
                        new VariableGroup("cuped", List.of("completed"), Optional.of("pre_latency_ms")),
                        new VariableGroup("econ", List.of("cost_usd", "completed"), Optional.empty())),
                List.of("workload", "tier"),
                List.of(new QuantileRequest("latency_ms", List.of(0.5, 0.9, 0.95, 0.99), true),
                        new QuantileRequest("pre_latency_ms", List.of(0.1, 0.99), false)),
                new ReductionPlan.Fidelity(Optional.of("executed_arm"), Optional.of("fallback_reason"),
                        Optional.of("timed_out")),
                Optional.of(new ReductionPlan.Exposure("ts", START)));
    }

    @Test
    void filesAndSchemaAreDuckDbs() {
        assertEquals(duck.files(csv), spark.files(csv));
        assertEquals(duck.files(new LogSource(List.of(dir.resolve("log-*.csv").toString()), LogSource.Format.CSV)),
                spark.files(new LogSource(List.of(dir.resolve("log-*.csv").toString()), LogSource.Format.CSV)));
        LogSchema s = spark.describe(csv);
        LogSchema d = duck.describe(csv);
        assertEquals(d.columns().keySet(), s.columns().keySet(), "union by name, in first-seen order");
        for (String c : List.of("latency_ms", "completed", "cost_usd", "pre_latency_ms", "timed_out", "arm", "ts")) {
            assertEquals(d.kind(c), s.kind(c), c);
        }
        assertEquals(Optional.empty(), spark.firstNonNumeric(csv, "latency_ms"));
        assertEquals("spark", spark.name());
        assertEquals(SharedSpark.session().version(), spark.version());
    }

    @Test
    void requestLevelReductionEqualsDuckDbs() {
        Reduction want = duck.reduce(plan(csv, Optional.empty()));
        Reduction got = spark.reduce(plan(csv, Optional.empty()));
        SameReduction.assertIdentical(want, got, "request level");
        assertTrue(got.armLabelCounts().containsKey("ctrl"));
        assertTrue(got.armLabelCounts().containsKey(Reduction.NULL_LABEL));
        assertTrue(got.counters().get("treatment").beforeStart() > 0);
        assertTrue(got.counters().get("treatment").fallbacks() > 0);
        assertTrue(got.counters().get("control").timeouts() > 0);
        assertTrue(got.counters().get("treatment").executedMismatch() > 0);
        assertTrue(got.segmentCells("workload").stream().anyMatch(c -> c.segment().orElseThrow().value()
                .equals(Reduction.NULL_LABEL)));
    }

    @Test
    void parquetFilesWithDifferentColumnsAreUnitedByName() throws Exception {
        List<String> files = new ArrayList<>();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:duckdb:");
             java.sql.Statement s = c.createStatement()) {
            for (String name : List.of("log-a", "log-b")) {
                Path out = dir.resolve(name + ".parquet");
                s.execute("COPY (SELECT * FROM read_csv('" + dir.resolve(name + ".csv") + "', header = true)) TO '"
                        + out + "' (FORMAT parquet, ROW_GROUP_SIZE 1000)");
                files.add(out.toString());
            }
        }
        LogSource parquet = new LogSource(files, LogSource.Format.PARQUET);
        assertEquals(duck.describe(parquet), spark.describe(parquet));
        SameReduction.assertIdentical(duck.reduce(plan(parquet, Optional.empty())),
                spark.reduce(plan(parquet, Optional.empty())), "parquet, request level");
        SameReduction.assertSame(duck.reduce(plan(parquet, Optional.of(UnitKey.column("user_id")))),
                spark.reduce(plan(parquet, Optional.of(UnitKey.column("user_id")))), "parquet, unit level");
    }

    @Test
    void unitLevelReductionEqualsDuckDbs() {
        Reduction want = duck.reduce(plan(csv, Optional.of(UnitKey.column("user_id"))));
        Reduction got = spark.reduce(plan(csv, Optional.of(UnitKey.column("user_id"))));
        SameReduction.assertSame(want, got, "unit level");
        assertTrue(got.counters().get("control").unitsInBothArms() > 0);
    }

    @Test
    void aUnitsArmIsItsArmAtItsFirstRowAndTiesBreakOnTheSmallerLabel() throws IOException {
        Path f = dir.resolve("ties.csv");
        Files.writeString(f, "ts,user_id,arm,x\n"
                + "2026-11-02T10:00:00Z,u1,treatment,1\n"
                + "2026-11-02T10:00:00Z,u1,control,2\n"     // same first time: the smaller label wins
                + "2026-11-02T08:00:00Z,u2,,5\n"            // no arm: the first row that has one counts
                + "2026-11-02T11:00:00Z,u2,treatment,3\n"
                + "2026-11-02T09:00:00Z,u2,control,4\n");
        ReductionPlan plan = new ReductionPlan(new LogSource(List.of(f.toString()), LogSource.Format.CSV), "arm",
                List.of("control", "treatment"), Optional.of(UnitKey.column("user_id")),
                List.of(new VariableGroup("x", List.of("x"), Optional.empty())), List.of(), List.of(),
                ReductionPlan.Fidelity.NONE, Optional.of(new ReductionPlan.Exposure("ts", START)));
        Reduction r = spark.reduce(plan);
        assertEquals(2, r.counters().get("control").units());
        assertEquals(2, r.counters().get("control").unitsInBothArms());
        assertEquals(7.5, r.arm("control").moments().get("x").mean(0), 0.0); // ((1 + 2) + (5 + 3 + 4)) / 2 units
        SameReduction.assertSame(r, duck.reduce(plan), "DuckDB breaks ties the same way");
    }

    @Test
    void absentFidelityColumnsCountMinusOne() {
        ReductionPlan full = plan(csv, Optional.empty());
        ReductionPlan bare = new ReductionPlan(csv, "arm", full.armLabels(), Optional.empty(), full.groups(),
                List.of(), List.of(), ReductionPlan.Fidelity.NONE, Optional.empty());
        Reduction got = spark.reduce(bare);
        SameReduction.assertIdentical(duck.reduce(bare), got, "no fidelity columns");
        Reduction.ArmCounters c = got.counters().get("control");
        assertEquals(List.of(-1L, -1L, -1L, -1L, -1L), List.of(c.executedMismatch(), c.executedKnown(), c.fallbacks(),
                c.timeouts(), c.beforeStart()));
        ReductionPlan units = new ReductionPlan(csv, "arm", full.armLabels(), Optional.of(UnitKey.column("user_id")), full.groups(),
                List.of(), List.of(), ReductionPlan.Fidelity.NONE, Optional.empty());
        SameReduction.assertSame(duck.reduce(units), spark.reduce(units), "units, no time column: min(arm)");
    }

    @Test
    void unitCountsBelowTheArmQuantilesEqualDuckDbs() {
        ReductionPlan plan = plan(csv, Optional.of(UnitKey.column("user_id")));
        Map<String, double[]> q = spark.reduce(plan).quantiles().get("latency_ms");
        for (int i = 0; i < 4; i++) {
            // thresholds that are values of the column (exact order statistics) and one between values
            Map<String, Double> thresholds = new TreeMap<>(Map.of("control", q.get("control")[i],
                    "treatment", q.get("treatment")[i] + 0.5));
            Map<String, Moments> want = duck.unitCountsBelow(plan, "latency_ms", thresholds);
            Map<String, Moments> got = spark.unitCountsBelow(plan, "latency_ms", thresholds);
            assertEquals(want.keySet(), got.keySet());
            for (String arm : want.keySet()) {
                SameReduction.assertBits(want.get(arm), got.get(arm), "counts below, " + arm + " at " + i);
            }
        }
    }

    @Test
    void bucketScansEqualDuckDbs() {
        List<String> labels = List.of("control", "treatment");
        List<BucketScan.HistogramRequest> requests = List.of(
                new BucketScan.HistogramRequest("latency_ms", new BucketScan.Log()),
                new BucketScan.HistogramRequest("pre_latency_ms", new BucketScan.Log()),
                new BucketScan.HistogramRequest("latency_ms", new BucketScan.Linear(100, 400, 1000)));
        assertEquals(duck.histograms(csv, "arm", labels, requests), spark.histograms(csv, "arm", labels, requests));
        List<BucketScan.Extraction> extractions = List.of(
                new BucketScan.Extraction("latency_ms", List.of("control"), 200, 260, List.of(0, 3, 17)),
                new BucketScan.Extraction("latency_ms", labels, 200, 260, List.of(5)),
                new BucketScan.Extraction("pre_latency_ms", List.of("treatment"), 1e6, 2e6, List.of(0)));
        List<BucketScan.Extracted> want = duck.extract(csv, "arm", extractions);
        List<BucketScan.Extracted> got = spark.extract(csv, "arm", extractions);
        for (int i = 0; i < want.size(); i++) {
            assertEquals(want.get(i).count(), got.get(i).count(), "extraction " + i);
            assertEquals(java.util.Arrays.toString(want.get(i).values()), java.util.Arrays.toString(got.get(i).values()));
        }
    }

    @Test
    void everyRunIsIdenticalToTheBitWhateverThePartitioning() {
        ReductionPlan requests = plan(csv, Optional.empty());
        ReductionPlan units = plan(csv, Optional.of(UnitKey.column("user_id")));
        Reduction r1 = spark.reduce(requests);
        Reduction u1 = spark.reduce(units);
        var conf = SharedSpark.session().conf();
        conf.set("spark.sql.files.maxPartitionBytes", "40000");
        conf.set("spark.sql.shuffle.partitions", "7");
        try {
            assertTrue(SharedSpark.session().read().csv(csv.paths().get(0)).javaRDD().getNumPartitions() > 5);
            // another run, with the files cut into many more partitions and another shuffle width
            SameReduction.assertIdentical(r1, spark.reduce(requests), "request level, run 2, small splits");
            SameReduction.assertIdentical(u1, spark.reduce(units), "unit level, run 2, small splits");
        } finally {
            conf.unset("spark.sql.files.maxPartitionBytes");
            conf.set("spark.sql.shuffle.partitions", "4");
        }
    }

    /** Time blocks of 10 minutes per tier from 3 hours after the log's first row, 2-minute washout. */
    private static final UnitKey.TimeBlocks BLOCKS = new UnitKey.TimeBlocks("ts", START.minusSeconds(3 * 3600), 600, 120,
            Optional.of("tier"));

    @Test
    void timeBlockKeyAndWashoutFilterAgreeWithDuckDbAndTheJavaArithmetic() throws IOException {
        ReductionPlan plan = plan(csv, Optional.of(BLOCKS));
        Reduction want = duck.reduce(plan);
        Reduction got = spark.reduce(plan);
        SameReduction.assertSame(want, got, "csv, time blocks per tier");
        // the Java reference: every row's epoch second, block and washout from the files themselves
        long missing = 0;
        long before = 0;
        long washout = 0;
        long kept = 0;
        java.util.Set<String> units = new java.util.HashSet<>();
        for (String file : List.of("log-a.csv", "log-b.csv")) {
            List<String> lines = Files.readAllLines(dir.resolve(file));
            List<String> header = List.of(lines.get(0).split(","));
            int ts = header.indexOf("ts");
            int tier = header.indexOf("tier");
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split(",", -1);
                if (f[ts].isEmpty()) {
                    missing++;
                    continue;
                }
                long sec = Instant.parse(f[ts]).getEpochSecond();
                if (sec < BLOCKS.origin()) {
                    before++;
                } else if (!BLOCKS.kept(sec)) {
                    washout++;
                } else {
                    kept++;
                    units.add(f[tier] + "/" + BLOCKS.block(sec));
                }
            }
        }
        UnitKey.Exclusions reference = new UnitKey.Exclusions(missing, before, washout);
        assertEquals(reference, duck.exclusions(plan), "DuckDB exclusions");
        assertEquals(reference, spark.exclusions(plan), "Spark exclusions");
        assertTrue(before > 0 && washout > 0, reference.toString());
        for (Reduction r : List.of(want, got)) {
            assertEquals(kept, r.rows(), "rows left after the washout filter");
            assertEquals(units.size(), r.armLabelCounts().values().stream().mapToLong(Reduction.LabelCount::units).sum(),
                    "distinct (tier, block) units");
        }
        assertEquals(duck.unitCountsBelow(plan, "latency_ms", java.util.Map.of("control", 250.0, "treatment", 240.0)),
                spark.unitCountsBelow(plan, "latency_ms", java.util.Map.of("control", 250.0, "treatment", 240.0)));
        assertEquals(UnitKey.Exclusions.NONE, spark.exclusions(plan(csv, Optional.of(UnitKey.column("user_id")))));
    }
}

package dev.verdict.engine.spark;

import dev.verdict.engine.duckdb.DuckDbEngine;
import dev.verdict.reduce.BlockSums;
import dev.verdict.reduce.LogSource;
import dev.verdict.reduce.ReductionPlan;
import dev.verdict.reduce.UnitKey;
import dev.verdict.reduce.VariableGroup;
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
 * Per-block half-window sums on Spark equal DuckDB's: the same blocks, arms, label counts and row counts, and sums
 * equal to 1e-12 relative (DuckDB adds with a compensated sum, Spark without); and both equal a Java reference.
 */
class SparkBlockSumsTest {
    @TempDir
    static Path dir;

    @Test
    void blockSumsAreDuckDbsAndTheJavaReference() throws Exception {
        Instant origin = Instant.parse("2026-11-02T00:00:00Z");
        UnitKey.TimeBlocks key = new UnitKey.TimeBlocks("ts", origin, 1800, 300, Optional.of("region"));
        SplittableRandom rnd = new SplittableRandom(11);
        StringBuilder sb = new StringBuilder("ts,region,arm,latency_ms,completed\n");
        Map<String, long[]> rows = new HashMap<>(); // region/block/half -> rows in the group
        Map<String, double[]> sums = new HashMap<>();
        for (int i = 0; i < 5000; i++) {
            long sec = origin.getEpochSecond() - 600 + rnd.nextLong(2 * 86_400L);
            String region = rnd.nextBoolean() ? "eu" : "us";
            long block = Math.floorDiv(sec - origin.getEpochSecond(), 1800);
            boolean treated = ((block * 7 + region.length()) % 3) == 0;
            String arm = rnd.nextInt(100) == 0 ? "other" : rnd.nextInt(400) == 0 ? (treated ? "control" : "treatment")
                    : treated ? "treatment" : "control";
            boolean missing = rnd.nextInt(30) == 0;
            double latency = Math.exp(5.5 + 0.4 * rnd.nextGaussian());
            int completed = rnd.nextInt(10) == 0 ? 0 : 1;
            sb.append(Instant.ofEpochSecond(sec)).append(',').append(region).append(',').append(arm).append(',')
                    .append(missing ? "" : String.format(Locale.ROOT, "%.4f", latency)).append(',').append(completed)
                    .append('\n');
            if (key.kept(sec) && !missing && !arm.equals("other")) {
                long within = Math.floorMod(sec - origin.getEpochSecond(), 1800L);
                int half = within >= BlockSums.halfStart(key) ? 1 : 0;
                String k = region + "/" + block + "/" + half;
                rows.computeIfAbsent(k, x -> new long[1])[0]++;
                double[] s = sums.computeIfAbsent(k, x -> new double[2]);
                s[0] += Double.parseDouble(String.format(Locale.ROOT, "%.4f", latency));
                s[1] += completed;
            }
        }
        Path csv = dir.resolve("blocks.csv");
        Files.writeString(csv, sb.toString());
        VariableGroup group = new VariableGroup("g", List.of("latency_ms", "completed"), Optional.empty());
        ReductionPlan plan = new ReductionPlan(new LogSource(List.of(csv.toString()), LogSource.Format.CSV), "arm",
                List.of("control", "treatment"), Optional.of(key), List.of(group), List.of(), List.of(),
                ReductionPlan.Fidelity.NONE, Optional.empty());
        BlockSums want;
        try (DuckDbEngine duck = DuckDbEngine.inMemory()) {
            want = duck.blockSums(plan, group);
        }
        BlockSums got = SharedSpark.engine().blockSums(plan, group);
        assertEquals(want.columns(), got.columns());
        assertEquals(want.blocks().size(), got.blocks().size());
        int mixed = 0;
        for (int i = 0; i < want.blocks().size(); i++) {
            BlockSums.Block a = want.blocks().get(i);
            BlockSums.Block b = got.blocks().get(i);
            assertEquals(a.by(), b.by());
            assertEquals(a.block(), b.block());
            assertEquals(a.arm(), b.arm());
            assertEquals(a.armCount(), b.armCount());
            mixed += a.armCount() > 1 ? 1 : 0;
            BlockSums.Half[][] halves = {{a.first(), b.first()}, {a.second(), b.second()}};
            for (int h = 0; h < 2; h++) {
                String k = a.by().orElseThrow() + "/" + a.block() + "/" + h;
                long n = rows.getOrDefault(k, new long[1])[0];
                assertEquals(n, halves[h][0].rows(), k);
                assertEquals(n, halves[h][1].rows(), k);
                double[] ref = sums.getOrDefault(k, new double[2]);
                for (int j = 0; j < 2; j++) {
                    double tol = 1e-12 * Math.max(1, Math.abs(ref[j]));
                    assertEquals(ref[j], halves[h][0].sums()[j], 1e-9 * Math.max(1, Math.abs(ref[j])), "duckdb " + k);
                    assertEquals(halves[h][0].sums()[j], halves[h][1].sums()[j], tol, "spark vs duckdb " + k);
                }
            }
        }
        assertTrue(mixed > 0, "some blocks carry both arms");
        assertEquals(rows.keySet().stream().map(k -> k.substring(0, k.lastIndexOf('/'))).distinct().count(),
                want.blocks().size());
    }
}

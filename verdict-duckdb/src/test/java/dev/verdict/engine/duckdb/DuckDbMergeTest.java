package dev.verdict.engine.duckdb;

import dev.verdict.reduce.LogSource;
import dev.verdict.reduce.Reduction;
import dev.verdict.reduce.ReductionPlan;
import dev.verdict.reduce.VariableGroup;
import dev.verdict.stats.Moments;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Mergeable sufficient statistics, as a property over seeded random logs: reductions of daily files merge into the
 * reduction of all days, in any order and grouping (commutative, associative), counts and counters exactly and
 * moments to 1e-9 relative, the cross-engine tolerance. Moments cannot agree to the last bits here: each file's exact
 * sums round its values to a multiple of a power of two chosen from that file's rows and bounds (see docs/engine.md,
 * Determinism), so the parts and the union are rounded on different grids; the differences seen are about 1e-11.
 */
class DuckDbMergeTest {
    private static final double TOLERANCE = 1e-9;
    @TempDir
    static Path dir;
    static DuckDbEngine engine;

    @BeforeAll
    static void start() {
        engine = DuckDbEngine.inMemory();
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    static Path day(long seed, int day, int rows) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed * 31 + day);
        StringBuilder sb = new StringBuilder("arm,executed_arm,latency_ms,completed,cost,tier\n");
        for (int i = 0; i < rows; i++) {
            String arm = rnd.nextInt(40) == 0 ? "other" : rnd.nextBoolean() ? "control" : "treatment";
            String exec = rnd.nextInt(50) == 0 ? "control" : arm;
            String lat = rnd.nextInt(30) == 0 ? "" : String.format(Locale.ROOT, "%.4f", Math.exp(6 + 0.4 * rnd.nextGaussian()) + day);
            sb.append(arm).append(',').append(exec).append(',').append(lat).append(',')
                    .append(rnd.nextDouble() < 0.9 ? 1 : 0).append(',')
                    .append(String.format(Locale.ROOT, "%.7f", 1e-4 * rnd.nextDouble())).append(',')
                    .append(List.of("free", "pro", "enterprise").get(rnd.nextInt(day == 2 ? 2 : 3))).append('\n');
        }
        Path p = dir.resolve("s" + seed + "-day" + day + ".csv");
        Files.writeString(p, sb.toString());
        return p;
    }

    static ReductionPlan plan(List<String> paths) {
        return new ReductionPlan(new LogSource(paths, LogSource.Format.CSV), "arm", List.of("control", "treatment"),
                Optional.empty(), List.of(new VariableGroup("lat", List.of("latency_ms"), Optional.empty()),
                new VariableGroup("econ", List.of("cost", "completed"), Optional.empty())),
                List.of("tier"), List.of(), new ReductionPlan.Fidelity(Optional.of("executed_arm"), Optional.empty(),
                Optional.empty()), Optional.empty());
    }

    static void assertSame(Reduction want, Reduction got) {
        assertEquals(want.rows(), got.rows());
        assertEquals(want.armLabelCounts(), got.armLabelCounts());
        assertEquals(want.counters(), got.counters());
        assertEquals(want.cells().size(), got.cells().size());
        for (int c = 0; c < want.cells().size(); c++) {
            Reduction.Cell a = want.cells().get(c);
            Reduction.Cell b = got.cells().get(c);
            assertEquals(a.arm(), b.arm());
            assertEquals(a.segment(), b.segment());
            assertEquals(a.rows(), b.rows());
            assertEquals(a.units(), b.units());
            for (String g : a.moments().keySet()) {
                Moments x = a.moments().get(g);
                Moments y = b.moments().get(g);
                assertEquals(x.count(), y.count());
                for (int i = 0; i < x.dimension(); i++) {
                    assertEquals(x.mean(i), y.mean(i), TOLERANCE * Math.max(1e-300, Math.abs(x.mean(i))), g + " mean " + i);
                    for (int j = 0; j < x.dimension(); j++) {
                        double scale = Math.sqrt(Math.abs(x.comoment(i, i) * x.comoment(j, j)));
                        assertEquals(x.comoment(i, j), y.comoment(i, j), TOLERANCE * Math.max(1e-300, scale), g + " comoment");
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void dailyReductionsMergeIntoTheReductionOfAllDays(long seed) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        Path d1 = day(seed, 1, 200 + rnd.nextInt(3000));
        Path d2 = day(seed, 2, 1 + rnd.nextInt(3000));
        Path d3 = day(seed, 3, 200 + rnd.nextInt(3000));
        Reduction a = engine.reduce(plan(List.of(d1.toString())));
        Reduction b = engine.reduce(plan(List.of(d2.toString())));
        Reduction c = engine.reduce(plan(List.of(d3.toString())));
        Reduction all = engine.reduce(plan(List.of(d1.toString(), d2.toString(), d3.toString())));
        assertSame(all, a.merge(b).merge(c));
        assertSame(all, a.merge(b.merge(c)));
        assertSame(all, c.merge(a).merge(b));
        assertSame(a.merge(b), b.merge(a));
        // positive control: a part counted twice is caught
        org.junit.jupiter.api.Assertions.assertThrows(org.opentest4j.AssertionFailedError.class,
                () -> assertSame(all, a.merge(b).merge(c).merge(a)));
    }
}

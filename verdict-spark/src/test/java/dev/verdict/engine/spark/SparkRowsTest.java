package dev.verdict.engine.spark;

import dev.verdict.InputException;
import dev.verdict.engine.duckdb.DuckDbEngine;
import dev.verdict.reduce.LogSource;
import dev.verdict.reduce.Rows;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Individual rows (regression discontinuity, propensity weighting) on Spark equal DuckDB's: the same complete rows in
 * the same sorted order, the same count left out for a missing value, and the same input error past the limit; and the
 * pre-period filter of a source applies to them on both engines.
 */
class SparkRowsTest {
    @TempDir
    static Path dir;

    static Path log() throws IOException {
        Path p = dir.resolve("rows.csv");
        if (Files.exists(p)) {
            return p;
        }
        SplittableRandom rnd = new SplittableRandom(29);
        StringBuilder sb = new StringBuilder("ts,margin,vote,arm,tier\n");
        long t0 = Instant.parse("2026-11-01T00:00:00Z").getEpochSecond();
        for (int i = 0; i < 3000; i++) {
            sb.append(Instant.ofEpochSecond(t0 + rnd.nextLong(4 * 86_400L))).append(',')
                    .append(rnd.nextInt(50) == 0 ? "" : String.format(Locale.ROOT, "%.4f", 100 * rnd.nextDouble() - 50))
                    .append(',').append(rnd.nextInt(40) == 0 ? "" : String.format(Locale.ROOT, "%.3f", 50 + 10 * rnd.nextGaussian()))
                    .append(',').append(rnd.nextBoolean() ? "treatment" : "control").append(',')
                    .append(rnd.nextInt(60) == 0 ? "" : List.of("free", "pro", "enterprise").get(rnd.nextInt(3))).append('\n');
        }
        Files.writeString(p, sb.toString());
        return p;
    }

    @Test
    void rowsAreDuckDbsInTheSameOrder() throws IOException {
        LogSource source = new LogSource(List.of(log().toString()), LogSource.Format.CSV);
        for (LogSource s : List.of(source, source.since("ts", Instant.parse("2026-11-03T00:00:00Z")))) {
            Rows.Request request = new Rows.Request(s, List.of("margin", "vote"), List.of("arm", "tier"), 10_000);
            Rows want;
            try (DuckDbEngine duck = DuckDbEngine.inMemory()) {
                want = duck.rows(request);
            }
            Rows got = SharedSpark.engine().rows(request);
            assertEquals(want.size(), got.size());
            assertEquals(want.dropped(), got.dropped());
            assertTrue(want.dropped() > 0, "the log has missing values");
            assertArrayEquals(want.column("margin"), got.column("margin"));
            assertArrayEquals(want.column("vote"), got.column("vote"));
            assertArrayEquals(want.labels("arm"), got.labels("arm"));
            assertArrayEquals(want.labels("tier"), got.labels("tier"));
            double[] m = got.column("margin");
            for (int i = 1; i < m.length; i++) {
                assertTrue(m[i - 1] <= m[i], "sorted by the first numeric column");
            }
        }
        Rows whole = SharedSpark.engine().rows(new Rows.Request(source, List.of("margin"), List.of(), 10_000));
        Rows late = SharedSpark.engine().rows(new Rows.Request(source.since("ts", Instant.parse("2026-11-03T00:00:00Z")),
                List.of("margin"), List.of(), 10_000));
        assertTrue(late.size() < 0.6 * whole.size() && late.size() > 0.4 * whole.size(), late.size() + " of " + whole.size());
    }

    @Test
    void pastTheLimitBothEnginesSayHowToFixIt() throws IOException {
        Rows.Request request = new Rows.Request(new LogSource(List.of(log().toString()), LogSource.Format.CSV),
                List.of("margin"), List.of(), 100);
        InputException d;
        try (DuckDbEngine duck = DuckDbEngine.inMemory()) {
            d = assertThrows(InputException.class, () -> duck.rows(request));
        }
        InputException s = assertThrows(InputException.class, () -> SharedSpark.engine().rows(request));
        assertEquals(d.getMessage(), s.getMessage());
        assertTrue(d.getMessage().contains("at most 100 rows"), d.getMessage());
    }
}

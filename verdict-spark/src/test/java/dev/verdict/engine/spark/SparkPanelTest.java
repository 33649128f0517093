package dev.verdict.engine.spark;

import dev.verdict.engine.duckdb.DuckDbEngine;
import dev.verdict.reduce.LogSource;
import dev.verdict.reduce.Panel;
import dev.verdict.stats.Moments;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Panels on Spark equal DuckDB's to the bit: the same cells, dropped rows, counts, means and co-moments. */
class SparkPanelTest {
    @TempDir
    static Path dir;

    static Path log() throws IOException {
        Path p = dir.resolve("panel.csv");
        if (Files.exists(p)) {
            return p;
        }
        SplittableRandom rnd = new SplittableRandom(17);
        StringBuilder sb = new StringBuilder("cluster,ts,latency_ms,error\n");
        long t0 = Instant.parse("2026-10-29T21:00:00Z").getEpochSecond();
        for (int i = 0; i < 6000; i++) {
            sb.append("cluster-").append(rnd.nextInt(6)).append(',')
                    .append(rnd.nextInt(200) == 0 ? "" : Instant.ofEpochSecond(t0 + rnd.nextLong(15 * 86_400L)).toString())
                    .append(',').append(rnd.nextInt(40) == 0 ? "" : String.format(Locale.ROOT, "%.5f",
                            Math.exp(5.5 + 0.5 * rnd.nextGaussian()))).append(',')
                    .append(rnd.nextInt(25) == 0 ? 1 : 0).append('\n');
        }
        Files.writeString(p, sb.toString());
        return p;
    }

    @ParameterizedTest
    @EnumSource(Panel.Period.class)
    void panelsAreDuckDbsToTheBit(Panel.Period period) throws IOException {
        Panel.Request request = new Panel.Request(new LogSource(List.of(log().toString()), LogSource.Format.CSV),
                "cluster", "ts", period, List.of("latency_ms", "error"));
        Panel want;
        try (DuckDbEngine duck = DuckDbEngine.inMemory()) {
            want = duck.panel(request);
        }
        Panel got = SharedSpark.engine().panel(request);
        assertEquals(want.dropped(), got.dropped());
        assertEquals(want.rows().size(), got.rows().size());
        for (int i = 0; i < want.rows().size(); i++) {
            Panel.Row a = want.rows().get(i);
            Panel.Row b = got.rows().get(i);
            assertEquals(a.unit(), b.unit());
            assertEquals(a.periodStart(), b.periodStart());
            Moments x = a.moments();
            Moments y = b.moments();
            assertEquals(x.count(), y.count());
            for (int j = 0; j < x.dimension(); j++) {
                assertEquals(Double.doubleToRawLongBits(x.mean(j)), Double.doubleToRawLongBits(y.mean(j)), "mean " + j);
                for (int k = 0; k < x.dimension(); k++) {
                    assertEquals(Double.doubleToRawLongBits(x.comoment(j, k)), Double.doubleToRawLongBits(y.comoment(j, k)));
                }
            }
        }
    }
}

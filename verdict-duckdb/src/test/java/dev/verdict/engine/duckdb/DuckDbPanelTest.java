package dev.verdict.engine.duckdb;

import dev.verdict.reduce.ExactSums;
import dev.verdict.reduce.LogSource;
import dev.verdict.reduce.Panel;
import dev.verdict.stats.Moments;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Panels aggregated by DuckDB equal the same panel computed in the test from the rows it wrote: cells (unit, UTC
 * period start) exactly, dropped rows exactly, means to 1e-9 relative, co-moments to 1e-9 relative plus the exact
 * sums' rounding: each product is rounded to a multiple of {@code 2^-k}, with {@code k} chosen from the whole log's
 * rows and bounds (docs/engine.md), so a cell of {@code n} rows may be off by {@code n 2^-k} in absolute terms; in a
 * cell with one row, whose co-moment is 0, that is all there is.
 */
class DuckDbPanelTest {
    @TempDir
    Path dir;

    /** Rows: unit, epoch second, latency (may be missing), error. */
    record R(String unit, long sec, Double latency, double error) { }

    static List<R> rows(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<R> out = new ArrayList<>();
        long t0 = Instant.parse("2026-10-29T21:00:00Z").getEpochSecond(); // a Thursday evening: weeks and days cross
        for (int i = 0; i < 4000; i++) {
            String unit = "cluster-" + rnd.nextInt(5);
            long sec = t0 + rnd.nextLong(14 * 86_400L);
            Double lat = rnd.nextInt(50) == 0 ? null : Math.exp(5.5 + 0.5 * rnd.nextGaussian());
            out.add(new R(unit, sec, lat, rnd.nextInt(30) == 0 ? 1 : 0));
        }
        return out;
    }

    static Path write(Path dir, List<R> rows) throws IOException {
        StringBuilder sb = new StringBuilder("cluster,ts,latency_ms,error\n");
        for (R r : rows) {
            sb.append(r.unit()).append(',').append(Instant.ofEpochSecond(r.sec())).append(',')
                    .append(r.latency() == null ? "" : String.format(Locale.ROOT, "%.6f", r.latency())).append(',')
                    .append((int) r.error()).append('\n');
        }
        Path p = dir.resolve("log.csv");
        Files.writeString(p, sb.toString());
        return p;
    }

    @ParameterizedTest
    @EnumSource(Panel.Period.class)
    void panelCellsAndMomentsEqualTheRowsWritten(Panel.Period period) throws IOException {
        List<R> rows = rows(3);
        Path csv = write(dir, rows);
        Map<String, List<double[]>> want = new TreeMap<>();
        long dropped = 0;
        for (R r : rows) {
            if (r.latency() == null) {
                dropped++;
                continue;
            }
            String key = r.unit() + "|" + String.format("%012d", period.start(r.sec()));
            want.computeIfAbsent(key, k -> new ArrayList<>()).add(new double[] {Double.parseDouble(
                    String.format(Locale.ROOT, "%.6f", r.latency())), r.error()});
        }
        long total = rows.size();
        double[] largest = new double[2];
        for (R r : rows) {
            largest[0] = Math.max(largest[0], r.latency() == null ? 0 : r.latency());
            largest[1] = Math.max(largest[1], r.error());
        }
        Panel panel;
        try (DuckDbEngine engine = DuckDbEngine.inMemory()) {
            panel = engine.panel(new Panel.Request(new LogSource(List.of(csv.toString()), LogSource.Format.CSV),
                    "cluster", "ts", period, List.of("latency_ms", "error")));
        }
        assertEquals(dropped, panel.dropped());
        assertEquals(want.size(), panel.rows().size());
        int i = 0;
        for (var e : want.entrySet()) {
            Panel.Row got = panel.rows().get(i++);
            assertEquals(e.getKey(), got.unit() + "|" + String.format("%012d", got.periodStart()));
            Moments m = Moments.of(e.getValue().toArray(double[][]::new));
            assertEquals(m.count(), got.moments().count());
            for (int a = 0; a < 2; a++) {
                assertEquals(m.mean(a), got.moments().mean(a), 1e-9 * Math.abs(m.mean(a)) + 1e-12);
                for (int b = 0; b < 2; b++) {
                    double scale = Math.sqrt(Math.abs(m.comoment(a, a) * m.comoment(b, b)));
                    int k = ExactSums.scaleExponent(total, ExactSums.magnitude(2 * largest[a])
                            + ExactSums.magnitude(2 * largest[b]), ExactSums.DOUBLE_BITS);
                    double rounding = 2 * m.count() * Math.scalb(1.0, -k);
                    assertEquals(m.comoment(a, b), got.moments().comoment(a, b), 1e-9 * scale + rounding);
                }
            }
        }
    }

    @Test
    void weeksStartOnMondayInUtc() {
        long monday = Instant.parse("2026-11-02T00:00:00Z").getEpochSecond();
        assertEquals(monday, Panel.Period.WEEK.start(monday));
        assertEquals(monday, Panel.Period.WEEK.start(monday + 6 * 86_400L + 86_399L));
        assertEquals(monday - 7 * 86_400L, Panel.Period.WEEK.start(monday - 1));
        assertEquals(java.time.DayOfWeek.MONDAY, ZonedDateTime.ofInstant(Instant.ofEpochSecond(
                Panel.Period.WEEK.start(-1_000_000_000L)), ZoneOffset.UTC).getDayOfWeek());
    }
}

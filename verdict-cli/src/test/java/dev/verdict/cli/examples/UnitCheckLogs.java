package dev.verdict.cli.examples;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Generated logs with planted faults for the unit-level checks of issue 5 (cluster balance, washout clearance,
 * congested units in both arms). CSV with the canonical columns request_id, ts, cluster, region, arm, latency_ms,
 * completed, utilization, queue_depth.
 */
public final class UnitCheckLogs {
    public static final Instant START = Instant.parse("2026-11-02T00:00:00Z");
    private static final String HEADER = "request_id,ts,cluster,region,arm,latency_ms,completed,utilization,queue_depth";

    private UnitCheckLogs() {
    }

    /**
     * A cluster RCT of {@code clusters} (a multiple of 4) clusters; cluster c has completion level {@code 0.60 + 0.04 *
     * (c / 2)}, latency level {@code 300 + 15 * (c / 2)} ms and load {@code 0.3 + 0.04 * (c / 2)}: pairs (2k, 2k+1)
     * share their levels. Stratum (region) {@code r<c/4>}. Balanced: the odd cluster of every pair is treated (two per
     * stratum), so the arms have the same levels. Imbalanced: the upper half of clusters is treated, so treated
     * clusters have higher completion, latency and load, before and after the start. {@code preDays} days of rows
     * before {@code START} (arm labelled as assigned) and 2 days after; treatment adds 3 points of completion.
     */
    public static void writeClusterRct(Path file, int clusters, int preRows, int postRows, int preDays,
                                       boolean balanced, long seed) throws Exception {
        SplittableRandom rnd = new SplittableRandom(seed);
        long id = 0;
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(file))) {
            out.println(HEADER);
            for (int c = 0; c < clusters; c++) {
                boolean treated = balanced ? c % 2 == 1 : c >= clusters / 2;
                int pair = c / 2;
                double level = 0.60 + 0.04 * pair;
                double latencyLevel = 300 + 15 * pair;
                double load = 0.3 + 0.04 * pair;
                for (int r = 0; r < preRows + postRows; r++) {
                    boolean pre = r < preRows;
                    Instant ts = pre ? START.minusSeconds(1 + (long) (rnd.nextDouble() * (preDays * 86400L - 1)))
                            : START.plusSeconds((long) (rnd.nextDouble() * 2 * 86400));
                    boolean acting = treated && !pre;
                    double util = clamp(load + 0.1 * gaussian(rnd), 0.01, 0.99);
                    boolean completed = rnd.nextDouble() < level + (acting ? 0.03 : 0);
                    double latency = latencyLevel * Math.exp(0.2 * gaussian(rnd));
                    out.printf(Locale.ROOT, "r%07d,%s,pool-%02d,r%d,%s,%.3f,%d,%.4f,%d%n", id++, ts, c, c / 4,
                            treated ? "treatment" : "control", latency, completed ? 1 : 0, util,
                            Math.round(20 * util + 2 * gaussian(rnd)));
                }
            }
        }
    }

    /**
     * A switchback of {@code days} days of 60-minute blocks from {@code START}, arms by a seeded coin flip, 10-minute
     * washout declared. The queue depth and latency relax from the previous block's end state towards the arm's steady
     * state (control: queue 6, latency 400 ms; treatment: queue 12, latency 460 ms) with time constant {@code tauMinutes}:
     * 2 minutes is a clean washout, 30 minutes leaves the state drifting through the analysed window. Completion: 0.8,
     * +0.02 under treatment (no carryover). {@code perBlock} requests per block.
     */
    public static void writeSwitchback(Path file, int days, int perBlock, double tauMinutes, long seed) throws Exception {
        SplittableRandom rnd = new SplittableRandom(seed);
        long id = 0;
        int blocks = days * 24;
        double queue = 6;
        double latency = 400;
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(file))) {
            out.println(HEADER);
            for (int b = 0; b < blocks; b++) {
                boolean treated = rnd.nextBoolean();
                double q0 = queue;
                double l0 = latency;
                double qs = treated ? 12 : 6;
                double ls = treated ? 460 : 400;
                long[] offsets = new long[perBlock];
                for (int r = 0; r < perBlock; r++) {
                    offsets[r] = (long) (rnd.nextDouble() * 3600);
                }
                java.util.Arrays.sort(offsets);
                for (int r = 0; r < perBlock; r++) {
                    double decay = Math.exp(-offsets[r] / 60.0 / tauMinutes);
                    double q = qs + (q0 - qs) * decay;
                    double l = ls + (l0 - ls) * decay;
                    Instant ts = START.plusSeconds(b * 3600L + offsets[r]);
                    double hour = (ts.getEpochSecond() % 86400) / 3600.0;
                    double util = clamp(0.55 + 0.3 * Math.sin(2 * Math.PI * (hour - 8) / 24) + 0.05 * gaussian(rnd),
                            0.01, 0.99);
                    boolean completed = rnd.nextDouble() < 0.8 + (treated ? 0.02 : 0);
                    out.printf(Locale.ROOT, "r%07d,%s,pool-00,us-east,%s,%.3f,%d,%.4f,%.3f%n", id++, ts,
                            treated ? "treatment" : "control", l + 40 * gaussian(rnd), completed ? 1 : 0, util,
                            Math.max(0, q + 2 * gaussian(rnd)));
                }
                double end = Math.exp(-60.0 / tauMinutes);
                queue = qs + (q0 - qs) * end;
                latency = ls + (l0 - ls) * end;
            }
        }
    }

    private static double gaussian(SplittableRandom rnd) {
        double u = 1 - rnd.nextDouble();
        double v = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}

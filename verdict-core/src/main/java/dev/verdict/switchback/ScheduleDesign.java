package dev.verdict.switchback;

import dev.verdict.assign.SwitchbackSchedule;

import java.util.Locale;
import java.util.SplittableRandom;

/**
 * How a switchback's arms were drawn, as randomization inference re-draws them and as the Horvitz-Thompson estimator
 * needs their probabilities. Each stratum (schedule) is re-drawn independently.
 * <ul>
 *   <li>{@link Kind#COMPLETE}: the observed blocks' arms permuted within each stratum, keeping its number of treated
 *       blocks: the randomization distribution of {@link SwitchbackSchedule#complete}, and of
 *       {@link SwitchbackSchedule#bernoulli} conditional on the number treated (valid for both).</li>
 *   <li>{@link Kind#BERNOULLI}: each observed block treated independently with probability {@code share}.</li>
 *   <li>{@link Kind#WITHIN_DAY}: {@link SwitchbackSchedule#randomizedWithinDay} with a fresh seed over the stratum's
 *       horizon (blocks 0 to its last), read at the observed blocks.</li>
 *   <li>{@link Kind#MINIMAX_REGRET}: {@link SwitchbackSchedule#minimaxRegret} for the design's carryover order, with a
 *       fresh seed over the stratum's horizon.</li>
 * </ul>
 *
 * @param kind           the generator
 * @param share          the treated share (the spec's treatment allocation); 1/2 for minimax regret
 * @param designOrder    the carryover order the minimax-regret schedule was designed for (0 otherwise)
 */
public record ScheduleDesign(Kind kind, double share, int designOrder) {

    /** The generators. */
    public enum Kind {
        COMPLETE, BERNOULLI, WITHIN_DAY, MINIMAX_REGRET;

        /** The spec's wire name, e.g. {@code within_day}. */
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The kind of a wire name. */
        public static Kind of(String wire) {
            return valueOf(wire.toUpperCase(Locale.ROOT));
        }
    }

    public ScheduleDesign {
        if (!(share > 0 && share < 1)) {
            throw new IllegalArgumentException("share must be in (0, 1), got " + share);
        }
        if (designOrder < 0) {
            throw new IllegalArgumentException("designOrder must be >= 0, got " + designOrder);
        }
    }

    /**
     * Whether this design can re-draw the series' schedule; the reason when it cannot, else null.
     */
    public String unsupportedReason(BlockSeries s) {
        if (kind == Kind.WITHIN_DAY) {
            if (SwitchbackSchedule.DAY_SECONDS % s.blockSeconds() != 0 || Math.floorMod(s.origin(), s.blockSeconds()) != 0) {
                return "schedule within_day needs blocks that divide a day and an origin on a block boundary";
            }
            int perDay = (int) (SwitchbackSchedule.DAY_SECONDS / s.blockSeconds());
            long t = Math.round(share * perDay);
            if (t < 1 || t >= perDay) {
                return "schedule within_day needs round(share x blocks per day) between 1 and blocks per day - 1";
            }
        }
        if (kind == Kind.MINIMAX_REGRET && designOrder > 0) {
            for (int[] r : s.strataRanges()) {
                long horizon = s.block(r[1] - 1) + 1;
                if (horizon < 4L * designOrder) {
                    return "schedule minimax_regret for carryover order " + designOrder + " needs at least "
                            + 4 * designOrder + " blocks per schedule";
                }
            }
        }
        return null;
    }

    /**
     * Whether the logged arms could have come from this generator; the first contradiction found, else null.
     * Minimax regret: the arm changes between consecutive blocks only at randomization points. Within day: every UTC
     * day whose blocks are all observed treats exactly {@code round(share x blocks per day)} of them. Complete and
     * Bernoulli draws can produce any schedule.
     */
    public String inconsistency(BlockSeries s) {
        if (kind == Kind.MINIMAX_REGRET) {
            int[] run = s.runOfKnown();
            for (int[] r : s.strataRanges()) {
                int[] points = SwitchbackSchedule.minimaxRegretPoints((int) (s.block(r[1] - 1) + 1), designOrder);
                for (int i = r[0] + 1; i < r[1]; i++) {
                    if (run[i] > 1 && s.treated(i) != s.treated(i - 1)
                            && java.util.Arrays.binarySearch(points, (int) s.block(i)) < 0) {
                        return "the arm changes at block " + s.block(i) + ", which is not a randomization point of the "
                                + "minimax-regret design for carryover order " + designOrder;
                    }
                }
            }
        }
        if (kind == Kind.WITHIN_DAY) {
            int perDay = (int) (SwitchbackSchedule.DAY_SECONDS / s.blockSeconds());
            long want = Math.round(share * perDay);
            for (int[] r : s.strataRanges()) {
                int i = r[0];
                while (i < r[1]) {
                    long day = Math.floorDiv(s.start(i), SwitchbackSchedule.DAY_SECONDS);
                    int j = i;
                    int treatedCount = 0;
                    while (j < r[1] && Math.floorDiv(s.start(j), SwitchbackSchedule.DAY_SECONDS) == day) {
                        treatedCount += s.treated(j) ? 1 : 0;
                        j++;
                    }
                    if (j - i == perDay && treatedCount != want) {
                        return "UTC day " + java.time.LocalDate.ofEpochDay(day) + " treats " + treatedCount + " of its "
                                + perDay + " blocks, not round(share x " + perDay + ") = " + want;
                    }
                    i = j;
                }
            }
        }
        return null;
    }

    /** Draws a fresh assignment of the series' blocks into {@code out} (length {@code s.size()}). */
    public void draw(BlockSeries s, SplittableRandom rng, boolean[] out, int[] scratch) {
        switch (kind) {
            case BERNOULLI -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = rng.nextDouble() < share;
                }
            }
            case COMPLETE -> {
                for (int[] r : s.strataRanges()) {
                    permute(s, r[0], r[1], rng, out, scratch);
                }
            }
            case WITHIN_DAY, MINIMAX_REGRET -> {
                for (int[] r : s.strataRanges()) {
                    int horizon = (int) (s.block(r[1] - 1) + 1);
                    SwitchbackSchedule sch = kind == Kind.WITHIN_DAY
                            ? SwitchbackSchedule.randomizedWithinDay(s.origin(), s.blockSeconds(), 0, horizon, share,
                            rng.nextLong())
                            : SwitchbackSchedule.minimaxRegret(s.origin(), s.blockSeconds(), 0, horizon, designOrder,
                            rng.nextLong());
                    for (int i = r[0]; i < r[1]; i++) {
                        out[i] = sch.treated((int) s.block(i));
                    }
                }
            }
            default -> throw new IllegalStateException();
        }
    }

    /** Complete randomization within [from, to): the observed number treated, a uniformly random set. */
    private static void permute(BlockSeries s, int from, int to, SplittableRandom rng, boolean[] out, int[] idx) {
        int n = to - from;
        int k = 0;
        for (int i = from; i < to; i++) {
            k += s.treated(i) ? 1 : 0;
            out[i] = false;
            idx[i - from] = i;
        }
        // partial Fisher-Yates: the first k positions of a uniform permutation are a uniform k-subset
        for (int j = 0; j < k; j++) {
            int r = j + rng.nextInt(n - j);
            int t = idx[j];
            idx[j] = idx[r];
            idx[r] = t;
            out[idx[j]] = true;
        }
    }

    /**
     * Per block, the probability under this design that it and its {@code m} predecessors (consecutive blocks of its
     * stratum, all observed) are all treated ({@code arm} true) or all control; NaN when a predecessor is unobserved.
     * Exact for complete (conditional on each stratum's treated count: {@code prod_{i<=m} (k-i)/(n-i)}), Bernoulli
     * ({@code share^(m+1)}) and minimax regret ({@code 2^-(segments the window meets)}); for within-day, the share
     * of {@code draws} re-drawn schedules with that path (at least {@code 1/(draws+1)}), seeded by {@code seed}.
     */
    public double[] pathProbabilities(BlockSeries s, int m, boolean arm, int draws, long seed) {
        int n = s.size();
        int[] run = s.runOfKnown();
        double[] p = new double[n];
        switch (kind) {
            case BERNOULLI -> {
                double q = arm ? share : 1 - share;
                for (int i = 0; i < n; i++) {
                    p[i] = run[i] > m ? Math.pow(q, m + 1) : Double.NaN;
                }
            }
            case COMPLETE -> {
                for (int[] r : s.strataRanges()) {
                    int size = r[1] - r[0];
                    int k = 0;
                    for (int i = r[0]; i < r[1]; i++) {
                        k += s.treated(i) == arm ? 1 : 0;
                    }
                    double q = 1;
                    for (int j = 0; j <= m; j++) {
                        q *= Math.max(0, k - j) / (double) (size - j);
                    }
                    for (int i = r[0]; i < r[1]; i++) {
                        p[i] = run[i] > m ? q : Double.NaN;
                    }
                }
            }
            case MINIMAX_REGRET -> {
                for (int[] r : s.strataRanges()) {
                    int horizon = (int) (s.block(r[1] - 1) + 1);
                    int[] points = SwitchbackSchedule.minimaxRegretPoints(horizon, designOrder);
                    boolean[] isPoint = new boolean[horizon];
                    for (int pt : points) {
                        isPoint[pt] = true;
                    }
                    for (int i = r[0]; i < r[1]; i++) {
                        if (run[i] <= m) {
                            p[i] = Double.NaN;
                            continue;
                        }
                        int t = (int) s.block(i);
                        int segments = 1;
                        for (int b = t - m + 1; b <= t; b++) {
                            segments += isPoint[b] ? 1 : 0;
                        }
                        p[i] = Math.pow(0.5, segments);
                    }
                }
            }
            case WITHIN_DAY -> {
                long[] hits = new long[n];
                boolean[] w = new boolean[n];
                int[] scratch = new int[n];
                SplittableRandom rng = new SplittableRandom(seed);
                for (int d = 0; d < draws; d++) {
                    draw(s, rng, w, scratch);
                    int same = 0;
                    for (int i = 0; i < n; i++) {
                        same = w[i] == arm ? (i > 0 && run[i] > 1 ? same + 1 : 1) : 0;
                        if (run[i] > m && same > m) {
                            hits[i]++;
                        }
                    }
                }
                for (int i = 0; i < n; i++) {
                    p[i] = run[i] > m ? Math.max(hits[i], 1) / (double) (draws + (hits[i] == 0 ? 1 : 0)) : Double.NaN;
                }
            }
            default -> throw new IllegalStateException();
        }
        return p;
    }
}
